using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Aegis.Billing.V1;
using StripeSignature = Aegis.Core.Billing.StripeSignature;
using Aegis.Server.Tests.Infrastructure;
using Grpc.Core;

namespace Aegis.Server.Tests.Trust;

/// <summary>
/// Invariant 12 (docs/architecture.md) over REST and gRPC on PostgreSQL: a tenant cannot raise its own plan; it may downgrade; an operator key
/// or a correctly signed Stripe event raises it; a badly signed or stale event changes nothing.
/// </summary>
public sealed class PlanChangeTests : IAsyncLifetime
{
    private const string WebhookSecret = "whsec_test_secret_for_plan_changes";
    private AegisServer? _server;
    private string _db = "";

    private AegisServer Server => _server!;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        _db = await TestEnvironment.CreateDatabaseAsync();
        _server = await AegisServer.StartPostgresAsync(_db, new Dictionary<string, string?>
        {
            ["Aegis:Auth:TrustTenantHeader"] = "false",
            ["Aegis:Signup:PermitLimit"] = "1000",
            ["Aegis:Billing:Stripe:WebhookSecret"] = WebhookSecret,
            ["Aegis:Billing:Stripe:Prices:price_pro_monthly"] = "pro",
        });
    }

    /// <inheritdoc />
    public async Task DisposeAsync() => await _server!.DisposeAsync();

    [Fact]
    public async Task A_signup_key_cannot_raise_its_plan_and_the_free_quota_still_refuses_the_101st_event_until_an_operator_upgrades()
    {
        var tenant = await AccountCalls.SignupAsync(Server.Rest);
        for (var i = 0; i < 100; i++)
        {
            using var admitted = await Server.Rest.SendAsync(AccountCalls.Decide("approve", tenant.AdminKey, $"k{i}"));
            Assert.Equal(HttpStatusCode.Accepted, admitted.StatusCode);
        }

        using (var rest = await Server.Rest.SendAsync(AccountCalls.Bearer(HttpMethod.Post, "/api/v1/billing/plan", tenant.AdminKey, "{\"plan\":\"enterprise\"}")))
        {
            Assert.Equal(HttpStatusCode.Forbidden, rest.StatusCode);
            // Outside /api/v1/hitl the error body is the plain google.rpc.Status: the reason is in its ErrorInfo.
            var details = (await RestCalls.JsonAsync(rest)).GetProperty("details").EnumerateArray();
            Assert.Contains(details, d => d.TryGetProperty("reason", out var r) && r.GetString() == "PLAN_UPGRADE_NOT_ALLOWED");
        }

        var billing = new BillingService.BillingServiceClient(Server.Grpc);
        var grpc = await Assert.ThrowsAsync<RpcException>(() => billing.ChangePlanAsync(new ChangePlanRequest { Plan = "pro" }, AccountCalls.GrpcAuth(tenant.AdminKey)).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, grpc.StatusCode);
        Assert.Equal("PLAN_UPGRADE_NOT_ALLOWED", grpc.GetRpcStatus()!.GetDetail<Google.Rpc.ErrorInfo>().Reason);

        using (var refused = await Server.Rest.SendAsync(AccountCalls.Decide("approve", tenant.AdminKey, "k100")))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.Equal("QUOTA_EXCEEDED", (await RestCalls.JsonAsync(refused)).GetProperty("reason").GetString());
        }

        Assert.Equal("free", await PlanAsync(tenant.TenantId));

        // The operator's key raises it (over gRPC; naming the tenant in Tenant-Id), and the same key is admitted now.
        var operatorCall = new Metadata { { "authorization", "Bearer " + OperatorCredentials.Key }, { "tenant-id", tenant.TenantId } };
        var upgraded = await billing.ChangePlanAsync(new ChangePlanRequest { Plan = "pro" }, operatorCall);
        Assert.Equal(("pro", 10_000L), (upgraded.Usage.Plan, upgraded.Usage.Limit));
        using (var admitted = await Server.Rest.SendAsync(AccountCalls.Decide("approve", tenant.AdminKey, "k100")))
        {
            Assert.Equal(HttpStatusCode.Accepted, admitted.StatusCode);
        }
    }

    [Fact]
    public async Task A_tenant_may_downgrade_itself_over_REST_and_gRPC()
    {
        var tenant = await AccountCalls.SignupAsync(Server.Rest);
        await OperatorCredentials.ChangePlanAsync(Server.Rest, tenant.TenantId, "scale");

        await AccountCalls.ChangePlanAsync(Server.Rest, tenant.AdminKey, "pro");
        Assert.Equal("pro", await PlanAsync(tenant.TenantId));
        var down = await new BillingService.BillingServiceClient(Server.Grpc).ChangePlanAsync(new ChangePlanRequest { Plan = "free" }, AccountCalls.GrpcAuth(tenant.AdminKey));

        Assert.Equal("free", down.Usage.Plan);
        Assert.Equal("free", await PlanAsync(tenant.TenantId));
    }

    [Fact]
    public async Task An_operator_key_is_never_a_tenant_key_a_wrong_one_is_401_and_one_without_a_tenant_is_400()
    {
        var tenant = await AccountCalls.SignupAsync(Server.Rest);
        using var wrong = await Server.Rest.SendAsync(WithTenant(AccountCalls.Bearer(HttpMethod.Post, "/api/v1/billing/plan", "sk_op_" + new string('x', 40), "{\"plan\":\"pro\"}"), tenant.TenantId));
        using var noTenant = await Server.Rest.SendAsync(AccountCalls.Bearer(HttpMethod.Post, "/api/v1/billing/plan", OperatorCredentials.Key, "{\"plan\":\"pro\"}"));
        using var decide = await Server.Rest.SendAsync(WithTenant(AccountCalls.Decide("approve", OperatorCredentials.Key, "op-decides"), tenant.TenantId));

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noTenant.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, decide.StatusCode);
        Assert.Equal("free", await PlanAsync(tenant.TenantId));
    }

    [Fact]
    public async Task A_correctly_signed_Stripe_subscription_event_upgrades_and_its_deletion_downgrades()
    {
        var tenant = await AccountCalls.SignupAsync(Server.Rest);

        using (var created = await PostEventAsync(SubscriptionEvent("customer.subscription.created", tenant.TenantId, "active"), DateTimeOffset.UtcNow, WebhookSecret))
        {
            Assert.Equal(HttpStatusCode.OK, created.StatusCode);
            Assert.True((await RestCalls.JsonAsync(created)).GetProperty("applied").GetBoolean());
        }

        Assert.Equal("pro", await PlanAsync(tenant.TenantId));
        using (var deleted = await PostEventAsync(SubscriptionEvent("customer.subscription.deleted", tenant.TenantId, "canceled"), DateTimeOffset.UtcNow, WebhookSecret))
        {
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        }

        Assert.Equal("free", await PlanAsync(tenant.TenantId));
    }

    [Fact]
    public async Task A_badly_signed_stale_or_unsigned_Stripe_event_is_400_and_changes_nothing()
    {
        var tenant = await AccountCalls.SignupAsync(Server.Rest);
        var body = SubscriptionEvent("customer.subscription.updated", tenant.TenantId, "active");

        using var wrongSecret = await PostEventAsync(body, DateTimeOffset.UtcNow, "whsec_someone_else");
        using var stale = await PostEventAsync(body, DateTimeOffset.UtcNow.AddMinutes(-6), WebhookSecret);
        using var tampered = await PostEventAsync(body, DateTimeOffset.UtcNow, WebhookSecret, tamper: b => b.Replace("\"active\"", "\"trialing\""));
        using var unsigned = await Server.Rest.PostAsync(
            "/api/v1/billing/webhooks/stripe", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(
            (HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest),
            (wrongSecret.StatusCode, stale.StatusCode, tampered.StatusCode, unsigned.StatusCode));
        Assert.Equal("WEBHOOK_SIGNATURE_INVALID", (await RestCalls.JsonAsync(wrongSecret)).GetProperty("reason").GetString());
        Assert.Equal("WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE", (await RestCalls.JsonAsync(stale)).GetProperty("reason").GetString());
        Assert.Equal("WEBHOOK_SIGNATURE_INVALID", (await RestCalls.JsonAsync(tampered)).GetProperty("reason").GetString());
        Assert.Equal("free", await PlanAsync(tenant.TenantId));
    }

    private static HttpRequestMessage WithTenant(HttpRequestMessage request, string tenant)
    {
        request.Headers.Add("Tenant-Id", tenant);
        return request;
    }

    private static string SubscriptionEvent(string type, string tenant, string status) => JsonSerializer.Serialize(new
    {
        id = "evt_" + Guid.NewGuid().ToString("N"),
        @object = "event",
        type,
        data = new
        {
            @object = new
            {
                id = "sub_123",
                @object = "subscription",
                status,
                metadata = new { tenant_id = tenant },
                items = new { data = new[] { new { price = new { id = "price_pro_monthly" } } } },
            },
        },
    });

    // Signed the way Stripe signs: v1 = hex HMAC-SHA256(secret, "{t}.{body}").
    private async Task<HttpResponseMessage> PostEventAsync(string body, DateTimeOffset signedAt, string secret, Func<string, string>? tamper = null)
    {
        var t = signedAt.ToUnixTimeSeconds();
        var v1 = Convert.ToHexStringLower(StripeSignature.Sign(t, Encoding.UTF8.GetBytes(body), secret));
        var sent = tamper?.Invoke(body) ?? body;
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/billing/webhooks/stripe") { Content = new StringContent(sent, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("Stripe-Signature", string.Create(CultureInfo.InvariantCulture, $"t={t},v1={v1},v0=ignored"));
        return await Server.Rest.SendAsync(request);
    }

    private Task<string> PlanAsync(string tenantId) =>
        Db.ScalarAsync<string>(_db, "SELECT plan FROM accounts WHERE tenant_id = @t", ("t", tenantId));
}
