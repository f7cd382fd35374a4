using Aegis.Server.Tests.Infrastructure;
using Aegis.Storage;

namespace Aegis.Server.Tests.Storage;

/// <summary>The store contract on the real PostgreSQL.</summary>
public sealed class PostgresActionStoreTests : ActionStoreContract
{
    /// <inheritdoc />
    protected override async Task<StorageOptions> CreateOptionsAsync() =>
        new() { PostgresConnectionString = await TestEnvironment.CreateDatabaseAsync() };
}
