using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Aegis.Hitl.V1;
using Aegis.Policy.V1;
using Aegis.Server.Tests.Gate;
using Aegis.Server.Tests.Infrastructure;
using Aegis.Server.Workers;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Aegis.Server.Tests.Policies;

/// <summary>
/// Escalation and edit-and-approve with two replicas over one PostgreSQL database, sharing one fake clock: the
/// escalation fires once at its time although both replicas' workers race for it, and watchers on either replica
/// hear of it; an edit is seen by the agent's watch and BeginExecution and kept whole in the audit trail.
/// </summary>
[Collection(HeavyGate.Name)]
public sealed class EscalationAndEditTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private string _connectionString = "";
    private AegisServer? _a;
    private AegisServer? _b;

    private AegisServer A => _a!;

    private AegisServer B => _b!;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        _connectionString = await TestEnvironment.CreateDatabaseAsync();
        var settings = new Dictionary<string, string?> { ["ConnectionStrings:Redis"] = TestEnvironment.Redis };
        _a = await AegisServer.StartPostgresAsync(_connectionString, settings, s => s.AddSingleton<TimeProvider>(_time));
        _b = await AegisServer.StartPostgresAsync(_connectionString, settings, s => s.AddSingleton<TimeProvider>(_time));
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        foreach (var server in new[] { _a, _b })
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
        }

        Npgsql.NpgsqlConnection.ClearPool(new Npgsql.NpgsqlConnection(_connectionString));
    }

    // Whether two JSON texts are the same document (member order aside).
    private static bool SameDocument(string a, string b) => JsonNode.DeepEquals(JsonNode.Parse(a), JsonNode.Parse(b));

    private Task<T> Scalar<T>(string sql, params (string, object)[] parameters) => Db.ScalarAsync<T>(_connectionString, sql, parameters);

    [Fact]
    public async Task An_escalation_fires_once_at_its_time_with_two_replicas_racing_and_watchers_hear_of_it()
    {
        var tenant = "esc-" + Guid.NewGuid().ToString("N");
        var calls = new PolicyCalls(A, grpc: true);
        var admin = await calls.KeyAsync(tenant, "API_KEY_ROLE_ADMIN", "owner");
        var agent = await calls.KeyAsync(tenant, "API_KEY_ROLE_AGENT", "bot");
        var backup = await calls.KeyAsync(tenant, "API_KEY_ROLE_REVIEWER", "cfo", "cfo");
        await calls.SaveAsync(admin, new SavePolicyRequest
        {
            Name = "escalating",
            Rules =
            {
                new Policy.V1.PolicyRule
                {
                    Effect = PolicyEffect.RequireHuman, ReviewerGroup = "finance", Timeout = Duration.FromTimeSpan(TimeSpan.FromHours(4)),
                    EscalateAfter = Duration.FromTimeSpan(TimeSpan.FromHours(1)), EscalationGroup = "cfo",
                },
            },
        });
        var pending = await calls.RequestAsync(agent, "wire", """{"amount":5000}""");
        var id = Guid.Parse(pending.RequestId);
        var escalateAt = pending.EscalateAt.ToDateTimeOffset();
        using var watch = await DecisionWatch.OpenAsync(B.Grpc, tenant, pending.RequestId);
        var workers = new[] { A, B }.Select(s => s.Services.GetRequiredService<EscalationWorker>()).ToArray();

        _time.Advance(escalateAt - _time.GetUtcNow() - TimeSpan.FromSeconds(1));
        await Task.WhenAll(workers.Select(w => w.RunRoundAsync(CancellationToken.None)));
        var early = await Scalar<long>("SELECT count(*) FROM audit_events WHERE action_id = @id AND kind = 'action.escalated'", ("id", id));
        var denied = await Assert.ThrowsAsync<RpcException>(() => calls.ApproveAsync(backup, "wire"));

        // At the time, both replicas' own timers fire, and both run extra rounds on top: they all race for the one row.
        _time.Advance(TimeSpan.FromSeconds(1));
        await Task.WhenAll(workers.SelectMany(w => Enumerable.Range(0, 4).Select(_ => Task.Run(() => w.RunRoundAsync(CancellationToken.None)))));
        await Eventually.TrueAsync(async () => (await calls.GetAsync(agent, "wire")).EscalatedAt is not null, TimeSpan.FromSeconds(10), "the escalation");
        var approved = await calls.ApproveAsync(backup, "wire");
        var messages = await watch.EndAsync(TimeSpan.FromSeconds(15));

        Assert.Equal(0L, early);
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
        Assert.Equal(1L, await Scalar<long>("SELECT count(*) FROM audit_events WHERE action_id = @id AND kind = 'action.escalated'", ("id", id)));
        Assert.Equal("cfo", await Scalar<string>(
            "SELECT data->>'escalation_group' FROM audit_events WHERE action_id = @id AND kind = 'action.escalated'", ("id", id)));
        Assert.Contains(messages, m => m.Message.Action?.State == ActionState.Pending && m.Message.Action.EscalatedAt is not null);
        Assert.Equal(ActionState.Approved, approved.Action.State);
    }

    [Fact]
    public async Task An_edit_is_seen_by_the_agents_watch_and_begin_execution_and_kept_in_the_audit_trail()
    {
        var tenant = "edit-" + Guid.NewGuid().ToString("N");
        var calls = new PolicyCalls(A, grpc: false);
        var agent = await calls.KeyAsync(tenant, "API_KEY_ROLE_AGENT", "bot");
        var (reviewer, reviewerPrincipal) = await calls.KeyWithPrincipalAsync(tenant, "API_KEY_ROLE_REVIEWER", "alice");
        const string original = """{"amount":5000,"to":"bob","note":"rent"}""";
        var pending = await calls.RequestAsync(agent, "pay", original);
        var id = Guid.Parse(pending.RequestId);
        using var watch = await DecisionWatch.OpenAsync(B.Grpc, tenant, pending.RequestId);
        var path = $"/api/v1/hitl/actions/{pending.RequestId}:approve-with-edits";
        var edit = JsonSerializer.Serialize(new { edited_payload_json = """{"amount":4000,"to":"bob"}""", comment = "capped at 4000" });

        var (byAgent, _) = await calls.RestAsync(HttpMethod.Post, path, agent, edit);
        var (bad, badBody) = await calls.RestAsync(HttpMethod.Post, path, reviewer, JsonSerializer.Serialize(new { edited_payload_json = "[1,2]" }));
        var (status, body) = await calls.RestAsync(HttpMethod.Post, path, reviewer, edit);
        var (again, _) = await calls.RestAsync(HttpMethod.Post, path, reviewer, edit);
        var messages = await watch.EndAsync(TimeSpan.FromSeconds(15));
        var begin = await new HitlService.HitlServiceClient(B.Grpc).BeginExecutionAsync(
            new BeginExecutionRequest { IdempotencyKey = "pay", PayloadJson = original }, AccountCalls.GrpcAuth(agent));

        Assert.Equal(HttpStatusCode.Forbidden, byAgent);
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        Assert.Contains("PAYLOAD_NOT_OBJECT", badBody, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, status);
        var action = JsonDocument.Parse(body).RootElement.GetProperty("action");
        Assert.Equal("ACTION_STATE_APPROVED", action.GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.Conflict, again);

        var seen = messages[^1].Message.Action;
        Assert.Equal(ActionState.Approved, seen.State);
        Assert.True(SameDocument("""{"amount":4000,"to":"bob"}""", seen.PayloadJson), seen.PayloadJson);
        Assert.True(SameDocument(original, seen.Edit.OriginalPayloadJson), seen.Edit.OriginalPayloadJson);
        Assert.Equal(reviewerPrincipal, seen.Edit.EditedBy);
        Assert.Equal(ExecutionStatus.Started, begin.Status);
        Assert.Equal(seen.PayloadJson, begin.Action.PayloadJson);
        Assert.Equal(reviewerPrincipal, begin.Action.Edit.EditedBy);
        Assert.Equal(
            """[{"op":"remove","path":"/note"},{"op":"replace","path":"/amount","value":4000}]""",
            begin.Action.Edit.PatchJson.Replace(" ", "", StringComparison.Ordinal));

        var audit = JsonDocument.Parse(await Scalar<string>(
            "SELECT data::text FROM audit_events WHERE action_id = @id AND kind = 'action.edited'", ("id", id))).RootElement;
        Assert.Equal(reviewerPrincipal, await Scalar<string>("SELECT actor FROM audit_events WHERE action_id = @id AND kind = 'action.edited'", ("id", id)));
        Assert.Equal("rent", audit.GetProperty("original_payload").GetProperty("note").GetString());
        Assert.Equal(5000, audit.GetProperty("original_payload").GetProperty("amount").GetInt32());
        Assert.Equal(2, audit.GetProperty("patch").GetArrayLength());
        Assert.Equal("capped at 4000", audit.GetProperty("comment").GetString());
        Assert.Equal(1L, await Scalar<long>("SELECT count(*) FROM audit_events WHERE action_id = @id AND kind = 'action.decided'", ("id", id)));
    }
}
