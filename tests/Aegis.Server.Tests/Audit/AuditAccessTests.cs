using System.Net;
using Aegis.Audit.V1;
using Aegis.Server.Tests.Infrastructure;
using Grpc.Core;

namespace Aegis.Server.Tests.Audit;

/// <summary>
/// Who may read the audit log and what bad input gets: tenants see only their own events, agent and operator keys are
/// refused (403 <c>ROLE_REQUIRED</c>), malformed filters and page tokens are 400 with a reason — never a 5xx.
/// </summary>
public sealed class AuditAccessTests(AuditFixture fixture) : IClassFixture<AuditFixture>
{
    private HttpClient Rest => fixture.Server.Rest;

    [Fact]
    public async Task A_tenant_sees_only_its_own_events_whatever_it_filters_on()
    {
        var a = await AccountCalls.SignupAsync(Rest);
        var b = await AccountCalls.SignupAsync(Rest);
        using (var created = await Rest.SendAsync(AccountCalls.Decide("approve", b.AdminKey, "b-only")))
        {
            Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
        }

        var bEvents = await AuditCalls.EventsAsync(Rest, "?kind=action.created", b.AdminKey);
        var bRequest = Assert.Single(bEvents).GetProperty("request_id").GetString()!;
        await AuditCalls.SealedAsync(fixture.ConnectionString, b.TenantId);

        var aAll = await AuditCalls.EventsAsync(Rest, "", a.AdminKey);
        var aOnB = await AuditCalls.EventsAsync(Rest, $"?request_id={bRequest}", a.AdminKey);
        using var export = await Rest.SendAsync(AuditCalls.Request(HttpMethod.Get, $"/api/v1/audit/export?request_id={bRequest}", a.AdminKey));
        var aVerify = await AuditCalls.VerifyAsync(Rest, a.AdminKey);

        Assert.Equal(["key.created"], aAll.Select(e => e.GetProperty("kind").GetString()));
        Assert.Empty(aOnB);
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal("", await export.Content.ReadAsStringAsync());
        Assert.Equal(1, AuditCalls.Count(aVerify, "events_checked") + AuditCalls.Count(aVerify, "unsealed_events"));
    }

    [Fact]
    public async Task Agent_and_operator_keys_are_refused_and_reviewer_keys_may_read()
    {
        var tenant = await AccountCalls.SignupAsync(Rest);
        var (agent, _) = await AccountCalls.CreateKeyAsync(Rest, tenant.AdminKey, "API_KEY_ROLE_AGENT");
        var (reviewer, _) = await AccountCalls.CreateKeyAsync(Rest, tenant.AdminKey, "API_KEY_ROLE_REVIEWER");
        var calls = new[] { (HttpMethod.Get, "/api/v1/audit/events"), (HttpMethod.Get, "/api/v1/audit/export"), (HttpMethod.Post, "/api/v1/audit/verify") };

        foreach (var (method, path) in calls)
        {
            using var refused = await Rest.SendAsync(AuditCalls.Request(method, path, agent));
            var body = await refused.Content.ReadAsStringAsync();
            Assert.True(refused.StatusCode == HttpStatusCode.Forbidden, $"{path} as agent: {(int)refused.StatusCode} {body}");
            Assert.Contains("ROLE_REQUIRED", body);

            using var op = await Rest.SendAsync(AuditCalls.Request(method, path, OperatorCredentials.Key, tenant.TenantId));
            Assert.Equal(HttpStatusCode.Forbidden, op.StatusCode);

            using var anonymous = await Rest.SendAsync(AuditCalls.Request(method, path, null));
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

            using var allowed = await Rest.SendAsync(AuditCalls.Request(method, path, reviewer));
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        var grpc = new AuditService.AuditServiceClient(fixture.Server.Grpc);
        var denied = await Assert.ThrowsAsync<RpcException>(() => grpc.ListAuditEventsAsync(new ListAuditEventsRequest(), AccountCalls.GrpcAuth(agent)).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
        var stream = grpc.ExportAuditEvents(new ExportAuditEventsRequest(), AccountCalls.GrpcAuth(agent));
        var streamDenied = await Assert.ThrowsAsync<RpcException>(() => stream.ResponseStream.MoveNext());
        Assert.Equal(StatusCode.PermissionDenied, streamDenied.StatusCode);
    }

    [Theory]
    [InlineData("/api/v1/audit/events?request_id=not-a-uuid", "request_id")]
    [InlineData("/api/v1/audit/events?page_size=101", "page_size")]
    [InlineData("/api/v1/audit/events?page_size=-1", "page_size")]
    [InlineData("/api/v1/audit/events?page_token=bm90LW91cnM", "page_token")]
    [InlineData("/api/v1/audit/events?page_token=%25%25%25", "page_token")]
    [InlineData("/api/v1/audit/events?since=yesterday", "Timestamp")] // transcoding refuses it before the handler: "Invalid Timestamp value"
    [InlineData("/api/v1/audit/events?since=2026-11-27T12:00:00Z&until=2026-11-27T11:00:00Z", "until")]
    [InlineData("/api/v1/audit/export?until=not-a-time", "Timestamp")]
    [InlineData("/api/v1/audit/export?request_id=123", "request_id")]
    public async Task Malformed_filters_and_page_tokens_are_400_naming_what_is_wrong(string path, string field)
    {
        using var response = await Rest.SendAsync(AuditCalls.Request(HttpMethod.Get, path, null, "audit-bad-input"));
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{path}: {(int)response.StatusCode} {body}");
        Assert.Contains(field, body);
    }
}
