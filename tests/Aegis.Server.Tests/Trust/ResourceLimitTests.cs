using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Aegis.Core.Ports;
using Aegis.Hitl.V1;
using Aegis.Server.Tests.Gate;
using Aegis.Server.Tests.Infrastructure;
using Aegis.Storage.Stores;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Xunit.Abstractions;

namespace Aegis.Server.Tests.Trust;

/// <summary>
/// Per-tenant limits on what one tenant holds at once (PostgreSQL, real sockets): open watch streams, calls in
/// flight, ListActions pages, the gRPC response size; and a revoked key's open streams ending within one heartbeat.
/// Over a limit: RESOURCE_EXHAUSTED / 429 with reason RESOURCE_LIMIT_EXCEEDED, never the quota's QUOTA_EXCEEDED.
/// </summary>
public sealed class ResourceLimitTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const double HeartbeatSeconds = 0.3;
    private AegisServer? _server;
    private BlockingActionStore? _store;

    private AegisServer Server => _server!;

    private HitlService.HitlServiceClient Hitl => new(Server.Grpc);

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var db = await TestEnvironment.CreateDatabaseAsync();
        _server = await AegisServer.StartPostgresAsync(
            db,
            new Dictionary<string, string?>
            {
                ["Aegis:Limits:MaxWatchStreamsPerTenant"] = "2",
                ["Aegis:Limits:MaxInFlightCallsPerTenant"] = "2",
                ["Aegis:Limits:MaxListPageSize"] = "5",
                ["Aegis:Limits:MaxListPageBytes"] = "65536",
                ["Aegis:Limits:MaxResponseBytes"] = "65536",
                ["Aegis:Notifications:HeartbeatSeconds"] = HeartbeatSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
            services => services.Replace(ServiceDescriptor.Singleton<IActionStore>(sp =>
                _store = new BlockingActionStore(ActivatorUtilities.CreateInstance<ActionStore>(sp)))));
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        _store?.Release();
        await _server!.DisposeAsync();
    }

    [Fact]
    public async Task A_tenant_may_hold_only_its_limit_of_watch_streams_and_another_tenant_is_not_affected()
    {
        var tenant = "streams-" + Guid.NewGuid().ToString("N")[..8];
        var first = await OpenWatchAsync(tenant);
        using var second = await OpenWatchAsync(tenant);

        var refused = await Assert.ThrowsAsync<RpcException>(() => OpenWatchAsync(tenant));
        using var rest = await Server.Rest.SendAsync(
            new HttpRequestMessage(HttpMethod.Get, "/api/v1/hitl/watch") { Headers = { { "Tenant-Id", tenant } } }, HttpCompletionOption.ResponseHeadersRead);
        using var other = await OpenWatchAsync("other-" + tenant);

        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Equal("RESOURCE_LIMIT_EXCEEDED", refused.GetRpcStatus()!.GetDetail<Google.Rpc.ErrorInfo>().Reason);
        Assert.Equal("watch_streams", refused.GetRpcStatus()!.GetDetail<Google.Rpc.ErrorInfo>().Metadata["limit"]);
        Assert.Equal(HttpStatusCode.TooManyRequests, rest.StatusCode);
        Assert.Contains("RESOURCE_LIMIT_EXCEEDED", await rest.Content.ReadAsStringAsync());

        // Closing one gives its slot back.
        first.Dispose();
        await Eventually.TrueAsync(
            async () =>
            {
                try
                {
                    (await OpenWatchAsync(tenant)).Dispose();
                    return true;
                }
                catch (RpcException ex) when (ex.StatusCode == StatusCode.ResourceExhausted)
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(10),
            "a stream opens once another has closed");
    }

    [Fact]
    public async Task A_tenant_may_have_only_its_limit_of_calls_in_flight_and_the_next_is_429_until_one_ends()
    {
        var tenant = "inflight-" + Guid.NewGuid().ToString("N")[..8];
        var held = Enumerable.Range(0, 2).Select(i => Hitl.GetStatusAsync(new GetStatusRequest { IdempotencyKey = $"block-{i}" }, GateCalls.Tenant(tenant)).ResponseAsync).ToList();
        await Eventually.TrueAsync(() => _store!.Blocked == 2, TimeSpan.FromSeconds(10), "two calls are in flight");

        var refused = await Assert.ThrowsAsync<RpcException>(() => Hitl.ListActionsAsync(new ListActionsRequest(), GateCalls.Tenant(tenant)).ResponseAsync);
        using var rest = await Server.Rest.SendAsync(RestCalls.Decide("approve", tenant, "k", "t", "{}"));
        var otherTenant = await Hitl.ListActionsAsync(new ListActionsRequest(), GateCalls.Tenant("other-" + tenant));

        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Equal("in_flight_calls", refused.GetRpcStatus()!.GetDetail<Google.Rpc.ErrorInfo>().Metadata["limit"]);
        Assert.Equal(HttpStatusCode.TooManyRequests, rest.StatusCode);
        Assert.Equal("RESOURCE_LIMIT_EXCEEDED", (await RestCalls.JsonAsync(rest)).GetProperty("reason").GetString());
        Assert.Empty(otherTenant.Actions);

        _store!.Release();
        foreach (var call in held)
        {
            Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<RpcException>(() => call)).StatusCode);
        }

        using var after = await Server.Rest.SendAsync(RestCalls.Decide("approve", tenant, "k", "t", "{}"));
        Assert.Equal(HttpStatusCode.Accepted, after.StatusCode);
    }

    [Fact]
    public async Task A_ListActions_page_holds_at_most_the_configured_count_and_ends_early_rather_than_pass_the_byte_budget()
    {
        var small = "page-" + Guid.NewGuid().ToString("N")[..8];
        var big = "bigpage-" + Guid.NewGuid().ToString("N")[..8];
        for (var i = 0; i < 8; i++)
        {
            using var created = await Server.Rest.SendAsync(RestCalls.Decide("approve", small, $"k{i}", "t", "{}"));
            Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
        }

        var bigIds = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            using var created = await Server.Rest.SendAsync(RestCalls.Decide("approve", big, $"k{i}", "t", JsonSerializer.Serialize(new { blob = new string('x', 12_000) })));
            bigIds.Add((await RestCalls.JsonAsync(created)).GetProperty("request_id").GetString()!);
        }

        var coerced = await Hitl.ListActionsAsync(new ListActionsRequest { PageSize = 1000 }, GateCalls.Tenant(small));
        Assert.Equal(5, coerced.Actions.Count);
        Assert.NotEmpty(coerced.NextPageToken);

        var listed = new List<string>();
        var pages = 0;
        var token = "";
        do
        {
            var page = await Hitl.ListActionsAsync(new ListActionsRequest { PageSize = 5, PageToken = token }, GateCalls.Tenant(big));
            Assert.InRange(page.CalculateSize(), 1, 65536);
            listed.AddRange(page.Actions.Select(a => a.RequestId));
            token = page.NextPageToken;
            pages++;
        }
        while (token.Length > 0);

        Assert.Equal(Enumerable.Reverse(bigIds), listed);
        Assert.True(pages >= 2, $"4 actions of ~24 KB rendered each fit a 64 KB page budget in {pages} page(s)");
    }

    [Fact]
    public async Task A_gRPC_response_over_the_maximum_size_is_RESOURCE_EXHAUSTED()
    {
        var tenant = "size-" + Guid.NewGuid().ToString("N")[..8];
        using var created = await Server.Rest.SendAsync(RestCalls.Decide("approve", tenant, "k", "t", JsonSerializer.Serialize(new { blob = new string('x', 40_000) })));
        Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);

        var ex = await Assert.ThrowsAsync<RpcException>(() => Hitl.GetStatusAsync(new GetStatusRequest { IdempotencyKey = "k" }, GateCalls.Tenant(tenant)).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }

    [Fact]
    public async Task A_revoked_key_loses_its_open_streams_within_one_heartbeat_over_gRPC_and_REST()
    {
        var tenant = await AccountCalls.SignupAsync(Server.Rest);
        var (agent, keyId) = await AccountCalls.CreateKeyAsync(Server.Rest, tenant.AdminKey, "API_KEY_ROLE_AGENT");
        var grpc = Hitl.WatchActions(new WatchActionsRequest(), AccountCalls.GrpcAuth(agent));
        Assert.True(await grpc.ResponseStream.MoveNext(CancellationToken.None));
        using var restStream = await Server.Rest.SendAsync(
            AccountCalls.Bearer(HttpMethod.Get, "/api/v1/hitl/watch", agent), HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await restStream.Content.ReadAsStreamAsync());
        Assert.Contains("HEARTBEAT", await reader.ReadLineAsync());

        var revokedAt = Stopwatch.StartNew();
        using (var revoke = await Server.Rest.SendAsync(AccountCalls.Bearer(HttpMethod.Post, $"/api/v1/accounts/keys/{keyId}/revoke", tenant.AdminKey, "{}")))
        {
            Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        }

        var ended = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await grpc.ResponseStream.MoveNext(CancellationToken.None))
            {
            }
        });
        var grpcEnded = revokedAt.Elapsed;
        var restLines = new List<string>();
        while (await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10)) is { } line)
        {
            restLines.Add(line);
        }

        output.WriteLine($"gRPC stream ended {grpcEnded.TotalMilliseconds:F0} ms after the revocation, REST {revokedAt.Elapsed.TotalMilliseconds:F0} ms (heartbeat {HeartbeatSeconds} s)");
        Assert.Equal(StatusCode.Unauthenticated, ended.StatusCode);
        Assert.Contains(restLines, l => l.Contains("UNAUTHENTICATED", StringComparison.Ordinal) || l.Contains("\"code\":16", StringComparison.Ordinal));
        // One heartbeat, with generous room for a loaded test machine.
        Assert.True(grpcEnded < TimeSpan.FromSeconds(HeartbeatSeconds + 5), $"ended after {grpcEnded}");
        grpc.Dispose();
    }

    private async Task<AsyncServerStreamingCall<WatchActionsResponse>> OpenWatchAsync(string tenant)
    {
        var call = Hitl.WatchActions(new WatchActionsRequest(), GateCalls.Tenant(tenant));
        try
        {
            // The first message (a heartbeat) says the stream is open and holds its slot.
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
            return call;
        }
        catch
        {
            call.Dispose();
            throw;
        }
    }
}
