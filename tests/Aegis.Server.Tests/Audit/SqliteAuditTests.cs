using System.Net;
using Aegis.Server.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Aegis.Server.Tests.Audit;

/// <summary>The embedded default (SQLite) keeps, seals, lists and verifies the same audit chain.</summary>
public sealed class SqliteAuditTests : IAsyncLifetime
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "aegis-audit-" + Guid.NewGuid().ToString("N"));
    private AegisServer? _server;

    /// <inheritdoc />
    public async Task InitializeAsync() => _server = await AegisServer.StartSqliteAsync(_dataDir, AuditFixture.QuickSealer);

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDir, recursive: true);
    }

    [Fact]
    public async Task Embedded_server_seals_lists_and_verifies_and_sees_a_body_changed_in_place()
    {
        var server = _server!;
        await TamperingTests.LifeAsync(server, "solo");
        using (var key = await server.Rest.SendAsync(RestCalls.Decide("reject", "solo", "other", "thread-2", "{}", requestId: "req-reject")))
        {
            Assert.Equal(HttpStatusCode.Accepted, key.StatusCode);
        }

        await Eventually.TrueAsync(
            async () => (await AuditCalls.EventsAsync(server.Rest, "", null, "solo")).All(e => AuditCalls.Text(e, "hash").Length == 64),
            TimeSpan.FromSeconds(20),
            "every event sealed");
        var events = await AuditCalls.EventsAsync(server.Rest, "", null, "solo");
        var whole = await AuditCalls.VerifyAsync(server.Rest, null, "solo");

        await using (var db = new SqliteConnection($"Data Source={Path.Combine(_dataDir, "aegis.db")}"))
        {
            await db.OpenAsync();
            await using var tamper = db.CreateCommand();
            tamper.CommandText = "UPDATE audit_events SET data = '{\"outcome\":\"approve\"}' WHERE id = $id";
            tamper.Parameters.AddWithValue("$id", long.Parse(events[0].GetProperty("id").GetString()!));
            Assert.Equal(1, await tamper.ExecuteNonQueryAsync());
        }

        var broken = await AuditCalls.VerifyAsync(server.Rest, null, "solo");

        Assert.Equal(["action.created", "action.committed", "action.execution_started", "action.decided", "action.created"], events.Select(e => e.GetProperty("kind").GetString()));
        Assert.Equal("req-reject", AuditCalls.Text(events[0], "cause_request_id"));
        Assert.True(whole.GetProperty("ok").GetBoolean(), whole.ToString());
        Assert.Equal(5, AuditCalls.Count(whole, "events_checked"));
        Assert.False(broken.GetProperty("ok").GetBoolean());
        Assert.Equal(("AUDIT_PROBLEM_KIND_ALTERED", events[0].GetProperty("id").GetString()), (broken.GetProperty("problem").GetProperty("kind").GetString(), broken.GetProperty("problem").GetProperty("event_id").GetString()));
    }
}
