using System.Net;
using System.Text.Json;
using Aegis.Audit.V1;
using Aegis.Server.Tests.Gate;
using Aegis.Server.Tests.Infrastructure;
using Npgsql;

namespace Aegis.Server.Tests.Audit;

/// <summary>
/// Tampering done directly in PostgreSQL — a body changed in place, a row deleted, a row inserted with a forged hash —
/// is named by VerifyAuditChain (one tenant each, so each run names its own); an untouched chain verifies.
/// </summary>
public sealed class TamperingTests(AuditFixture fixture) : IClassFixture<AuditFixture>
{
    [Fact]
    public async Task Verify_names_an_altered_a_missing_and_an_inserted_event_and_passes_an_untouched_chain()
    {
        var tenants = new[] { "tamper-alter", "tamper-delete", "tamper-insert", "tamper-none" };
        foreach (var tenant in tenants)
        {
            await LifeAsync(fixture.Server, tenant);
            await AuditCalls.SealedAsync(fixture.ConnectionString, tenant);
            var before = await AuditCalls.VerifyAsync(fixture.Server.Rest, null, tenant);
            Assert.True(before.GetProperty("ok").GetBoolean(), before.ToString());
        }

        var altered = await IdAtAsync("tamper-alter", 2);
        await ExecuteAsync("UPDATE audit_events SET data = jsonb_set(data, '{outcome}', '\"reject\"') WHERE id = @id", altered);
        var deleted = await IdAtAsync("tamper-delete", 3);
        await ExecuteAsync("DELETE FROM audit_events WHERE id = @id", deleted);
        var inserted = await Db.ScalarAsync<long>(
            fixture.ConnectionString,
            """
            INSERT INTO audit_events (tenant_id, kind, actor, actor_method, data, occurred_at, hash)
            VALUES ('tamper-insert', 'action.decided', 'key:forged', 'api_key', '{"outcome":"approve"}', now(), repeat('ab', 32)) RETURNING id
            """);

        var alter = await AuditCalls.VerifyAsync(fixture.Server.Rest, null, "tamper-alter");
        var delete = await AuditCalls.VerifyAsync(fixture.Server.Rest, null, "tamper-delete");
        var insert = await new AuditService.AuditServiceClient(fixture.Server.Grpc).VerifyAuditChainAsync(new VerifyAuditChainRequest(), GateCalls.Tenant("tamper-insert"));
        var none = await AuditCalls.VerifyAsync(fixture.Server.Rest, null, "tamper-none");

        Assert.Equal(("AUDIT_PROBLEM_KIND_ALTERED", altered.ToString()), Problem(alter));
        Assert.Equal(1, AuditCalls.Count(alter, "events_checked"));
        Assert.Equal(("AUDIT_PROBLEM_KIND_MISSING", deleted.ToString()), Problem(delete));
        Assert.False(insert.Ok);
        Assert.Equal((AuditProblemKind.Inserted, inserted.ToString()), (insert.Problem.Kind, insert.Problem.EventId));
        Assert.Equal(4, insert.EventsChecked);
        Assert.True(none.GetProperty("ok").GetBoolean(), none.ToString());
        Assert.Equal(4, AuditCalls.Count(none, "events_checked"));
        Assert.False(none.TryGetProperty("problem", out _));
    }

    private static (string Kind, string EventId) Problem(JsonElement result)
    {
        Assert.False(result.GetProperty("ok").GetBoolean(), result.ToString());
        var problem = result.GetProperty("problem");
        return (problem.GetProperty("kind").GetString()!, problem.GetProperty("event_id").GetString()!);
    }

    // request, approve, begin, complete: four events.
    internal static async Task LifeAsync(AegisServer server, string tenant)
    {
        var rest = server.Rest;
        await GateCalls.RequestAsync(server.Grpc, tenant, "life", timeout: TimeSpan.FromHours(1));
        using (var approved = await rest.SendAsync(RestCalls.Decide("approve", tenant, "life", "thread-1", "{}")))
        {
            Assert.Equal(HttpStatusCode.Accepted, approved.StatusCode);
        }

        var hitl = new Aegis.Hitl.V1.HitlService.HitlServiceClient(server.Grpc);
        var begun = await hitl.BeginExecutionAsync(new Aegis.Hitl.V1.BeginExecutionRequest { IdempotencyKey = "life" }, GateCalls.Tenant(tenant));
        await hitl.CompleteExecutionAsync(
            new Aegis.Hitl.V1.CompleteExecutionRequest { IdempotencyKey = "life", FencingToken = begun.Lease.FencingToken, ResultJson = "{}" }, GateCalls.Tenant(tenant));
    }

    private Task<long> IdAtAsync(string tenant, long sequence) =>
        Db.ScalarAsync<long>(fixture.ConnectionString, "SELECT id FROM audit_events WHERE tenant_id = @t AND sequence = @s", ("t", tenant), ("s", sequence));

    private async Task ExecuteAsync(string sql, long id)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("id", id);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }
}
