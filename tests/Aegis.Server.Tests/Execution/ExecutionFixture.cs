using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using Aegis.Core.Actions;
using Aegis.Core.Execution;
using Aegis.Core.Ports;
using Aegis.Hitl.V1;
using Aegis.Server.Tests.Infrastructure;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using ProtoAction = Aegis.Hitl.V1.Action;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Aegis.Server.Tests.Execution;

/// <summary>
/// A fresh PostgreSQL database and one replica whose clock is a <see cref="FakeTimeProvider"/>, so tests decide
/// when leases expire. The background reaper and purge are set to run only once a day of fake time; tests run
/// passes on demand with <see cref="ReapAsync"/> and <see cref="PurgeAsync"/>.
/// </summary>
public sealed class ExecutionFixture : IAsyncLifetime
{
    /// <summary>The server's max attempts setting.</summary>
    public const int MaxAttempts = 3;

    private AegisServer? _server;

    /// <summary>The replica's clock.</summary>
    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    /// <summary>Every action the replica published, in order.</summary>
    public ConcurrentQueue<ActionRecord> Published { get; } = new();

    /// <summary>The replica.</summary>
    public AegisServer Server => _server ?? throw new InvalidOperationException("Not started.");

    /// <summary>This fixture's database.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>gRPC client of the replica.</summary>
    public HitlService.HitlServiceClient Client => new(Server.Grpc);

    /// <summary>Trusted-mode credentials of tenant <c>acme</c>.</summary>
    public Metadata Headers { get; } = new() { { "tenant-id", "acme" } };

    /// <summary>Settings the replica starts with.</summary>
    public static Dictionary<string, string?> Settings() => new()
    {
        ["Aegis:Execution:MaxAttempts"] = MaxAttempts.ToString(),
        ["Aegis:Execution:DefaultLeaseSeconds"] = "30",
        ["Aegis:Execution:ReaperIntervalSeconds"] = "86400",
        ["Aegis:Retention:PurgeIntervalMinutes"] = "1440",
    };

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        ConnectionString = await TestEnvironment.CreateDatabaseAsync();
        _server = await AegisServer.StartPostgresAsync(ConnectionString, Settings(), Overrides);
    }

    /// <summary>Puts the fake clock and the recording publisher into a replica's services.</summary>
    public void Overrides(IServiceCollection services)
    {
        services.AddSingleton<TimeProvider>(Time);
        services.AddSingleton<IActionEventPublisher>(new RecordingPublisher(Published));
    }

    /// <summary>A fresh idempotency key.</summary>
    public static string NewKey(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    /// <summary>Approves (and creates) an action.</summary>
    public async Task<ProtoAction> ApproveAsync(string key, string payloadJson = "{\"n\":1}") =>
        (await Client.ApproveAsync(new ApproveRequest { IdempotencyKey = key, ThreadId = "t", PayloadJson = payloadJson }, Headers)).Action;

    /// <summary>BeginExecution over gRPC.</summary>
    public Task<BeginExecutionResponse> BeginAsync(string key, TimeSpan? ttl = null, bool? requireApproval = null, string? payloadJson = null)
    {
        var request = new BeginExecutionRequest { IdempotencyKey = key, ThreadId = "t", PayloadJson = payloadJson ?? "" };
        if (ttl is { } t)
        {
            request.LeaseTtl = Duration.FromTimeSpan(t);
        }

        if (requireApproval is { } r)
        {
            request.RequireApproval = r;
        }

        return Client.BeginExecutionAsync(request, Headers).ResponseAsync;
    }

    /// <summary>CompleteExecution over gRPC.</summary>
    public async Task<ProtoAction> CompleteAsync(string key, long token, string resultJson) =>
        (await Client.CompleteExecutionAsync(new CompleteExecutionRequest { IdempotencyKey = key, FencingToken = token, ResultJson = resultJson }, Headers)).Action;

    /// <summary>FailExecution over gRPC.</summary>
    public async Task<ProtoAction> FailAsync(string key, long token, string errorJson, bool retryable) =>
        (await Client.FailExecutionAsync(
            new FailExecutionRequest { IdempotencyKey = key, FencingToken = token, ErrorJson = errorJson, Retryable = retryable }, Headers)).Action;

    /// <summary>The action as stored, read over gRPC.</summary>
    public async Task<ProtoAction> StatusAsync(string key) =>
        (await Client.GetStatusAsync(new GetStatusRequest { IdempotencyKey = key }, Headers)).Action;

    /// <summary>Runs one lease-reaper pass now.</summary>
    public Task<int> ReapAsync() => Server.Services.GetRequiredService<LeaseReaper>().ReapOnceAsync(CancellationToken.None);

    /// <summary>Runs one retention pass now.</summary>
    public Task<int> PurgeAsync() => Server.Services.GetRequiredService<RetentionPurger>().PurgeOnceAsync(CancellationToken.None);

    /// <summary>A REST POST to an execution route with tenant <c>acme</c>.</summary>
    public static HttpRequestMessage RestPost(string route, string jsonBody, string tenant = "acme")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/hitl/executions/{route}");
        request.Headers.Add("Tenant-Id", tenant);
        request.Content = new StringContent(jsonBody, Encoding.UTF8);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return request;
    }

    /// <summary>The <c>ErrorInfo.reason</c> of a refused gRPC call.</summary>
    public static string? Reason(RpcException ex) => ex.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason;

    /// <summary>Counts rows with a scalar query.</summary>
    public Task<long> CountAsync(string sql, params (string Name, object Value)[] parameters) => Db.ScalarAsync<long>(ConnectionString, sql, parameters);

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        // Idle pooled connections outlive the replica; with a pool per test database they would add up past
        // PostgreSQL's max_connections over a full run.
        NpgsqlConnection.ClearPool(new NpgsqlConnection(ConnectionString));
    }

    private sealed class RecordingPublisher(ConcurrentQueue<ActionRecord> published) : IActionEventPublisher
    {
        public ValueTask PublishAsync(ActionRecord action, CancellationToken cancellationToken)
        {
            published.Enqueue(action);
            return ValueTask.CompletedTask;
        }
    }
}
