namespace Aegis.Storage;

/// <summary>Which backend to use: PostgreSQL when <see cref="PostgresConnectionString"/> is set, else embedded SQLite.</summary>
public sealed class StorageOptions
{
    /// <summary>Npgsql connection string (<c>ConnectionStrings:Postgres</c>); null selects SQLite.</summary>
    public string? PostgresConnectionString { get; set; }

    /// <summary>Folder of the embedded SQLite file (<c>Aegis:DataDir</c>).</summary>
    public string DataDir { get; set; } = "./data";

    /// <summary>Whether the PostgreSQL backend is selected.</summary>
    public bool UsePostgres => !string.IsNullOrWhiteSpace(PostgresConnectionString);

    /// <summary>The SQLite connection string for <see cref="DataDir"/>.</summary>
    public string SqliteConnectionString =>
        $"Data Source={Path.Combine(Path.GetFullPath(DataDir), "aegis.db")};Default Timeout=30;Pooling=True";
}
