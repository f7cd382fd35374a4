using System.Net;
using Aegis.Server.Tests.Infrastructure;
using Npgsql;

namespace Aegis.Server.Tests.Accounts;

/// <summary>Invariant 7 (docs/architecture.md): the database holds API keys only as SHA-256 hashes.</summary>
public sealed class SecretStorageTests(PostgresServerFixture fixture) : IClassFixture<PostgresServerFixture>
{
    [Fact]
    public async Task No_table_holds_a_clear_key_after_signup_key_creation_use_and_revocation()
    {
        var tenant = await AccountCalls.SignupAsync(fixture.Server.Rest);
        var (agent, agentId) = await AccountCalls.CreateKeyAsync(fixture.Server.Rest, tenant.AdminKey, "API_KEY_ROLE_AGENT");
        var (reviewer, _) = await AccountCalls.CreateKeyAsync(fixture.Server.Rest, tenant.AdminKey, "API_KEY_ROLE_REVIEWER");
        using (var used = await fixture.Server.Rest.SendAsync(AccountCalls.Decide("approve", reviewer, "k", "{\"n\":1}")))
        {
            Assert.Equal(HttpStatusCode.Accepted, used.StatusCode);
        }

        using (var revoked = await fixture.Server.Rest.SendAsync(AccountCalls.Bearer(HttpMethod.Post, $"/api/v1/accounts/keys/{agentId}/revoke", tenant.AdminKey, "{}")))
        {
            Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        }

        foreach (var key in new[] { tenant.AdminKey, agent, reviewer })
        {
            Assert.Empty(await TablesContainingAsync(fixture.ConnectionString, key));
            Assert.Empty(await TablesContainingAsync(fixture.ConnectionString, key[12..]));
            Assert.Equal(1, await Db.ScalarAsync<long>(fixture.ConnectionString, "SELECT count(*) FROM api_keys WHERE key_hash = sha256(convert_to(@k, 'UTF8'))", ("k", key)));
        }
    }

    [Fact]
    public async Task The_scan_finds_a_clear_key_planted_in_any_table()
    {
        var tenant = await AccountCalls.SignupAsync(fixture.Server.Rest);
        await Db.ScalarAsync<long>(
            fixture.ConnectionString,
            "INSERT INTO audit_events (tenant_id, kind, actor, data, occurred_at) VALUES (@t, 'planted', 'test', jsonb_build_object('leak', @k), now()) RETURNING id",
            ("t", tenant.TenantId),
            ("k", tenant.AdminKey));

        Assert.Equal(["audit_events"], await TablesContainingAsync(fixture.ConnectionString, tenant.AdminKey));
    }

    // Every table of the schema, each row rendered as text, searched for the needle.
    private static async Task<List<string>> TablesContainingAsync(string connectionString, string needle)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename", conn))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        Assert.Contains("api_keys", tables);
        var found = new List<string>();
        foreach (var table in tables)
        {
            await using var cmd = new NpgsqlCommand($"SELECT count(*) FROM \"{table}\" t WHERE strpos(t::text, @n) > 0", conn);
            cmd.Parameters.AddWithValue("n", needle);
            if ((long)(await cmd.ExecuteScalarAsync())! > 0)
            {
                found.Add(table);
            }
        }

        return found;
    }
}
