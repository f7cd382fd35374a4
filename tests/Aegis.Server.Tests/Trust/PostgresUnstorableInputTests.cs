using Aegis.Server.Tests.Infrastructure;

namespace Aegis.Server.Tests.Trust;

/// <summary><see cref="UnstorableInputContract"/> on PostgreSQL.</summary>
public sealed class PostgresUnstorableInputTests(PostgresServerFixture fixture) : UnstorableInputContract, IClassFixture<PostgresServerFixture>
{
    /// <inheritdoc />
    protected override AegisServer Server => fixture.Server;

    /// <inheritdoc />
    protected override string UnrenderablePayload => "{\"n\": 1e400}";

    /// <inheritdoc />
    protected override async Task OverwritePayloadAsync(string requestId, string json) =>
        await Db.ScalarAsync<long>(
            fixture.ConnectionString, "WITH u AS (UPDATE actions SET payload = CAST(@p AS jsonb) WHERE id = @id RETURNING 1) SELECT count(*) FROM u",
            ("p", json), ("id", Guid.Parse(requestId)));

    [Theory]
    [InlineData("1e131071", true)]
    [InlineData("1e131072", false)]
    [InlineData("0.1e-16382", true)]
    [InlineData("0.1e-16383", false)]
    [InlineData("-9.99e131071", true)]
    [InlineData("0.00000e-16380", false)]
    public async Task The_number_range_check_agrees_with_PostgreSQL_jsonb(string number, bool storable)
    {
        var json = $"{{\"n\":{number}}}";
        var checkedHere = Aegis.Core.Json.StorableJson.Problem(System.Text.Encoding.UTF8.GetBytes(json), out _) is null;
        bool storedThere;
        try
        {
            storedThere = await Db.ScalarAsync<int>(fixture.ConnectionString, "SELECT length(CAST(@p AS jsonb)::text)", ("p", json)) > 0;
        }
        catch (Npgsql.PostgresException)
        {
            storedThere = false;
        }

        Assert.Equal((storable, storable), (checkedHere, storedThere));
    }
}
