using Aegis.Core.Billing;
using Aegis.Core.Ports;
using Aegis.Storage.Billing;
using Aegis.Storage.Stores;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace Aegis.Storage;

/// <summary>Registers the storage backend chosen by <see cref="StorageOptions"/> and the stores over it.</summary>
public static class StorageServiceCollectionExtensions
{
    /// <summary>Adds the DbContext factory, the dialect, the stores and the <see cref="DatabaseInitializer"/>.</summary>
    public static IServiceCollection AddAegisStorage(this IServiceCollection services, StorageOptions options)
    {
        services.AddSingleton(options);
        if (options.UsePostgres)
        {
            // One data source for EF Core and the hand-written hot path: one pool, one set of prepared statements.
            var connectionString = PostgresConnectionDefaults.Apply(options.PostgresConnectionString!);
            services.AddSingleton(_ => NpgsqlDataSource.Create(connectionString));
            services.AddPooledDbContextFactory<PostgresAegisDbContext>((sp, o) => o.UseNpgsql(sp.GetRequiredService<NpgsqlDataSource>()));
            services.AddSingleton<PostgresActionWriter>();
            services.AddSingleton<PostgresActionReader>();
            services.AddSingleton<PostgresTransitionWriter>();
            services.AddSingleton<IDbContextFactory<AegisDbContext>>(sp =>
                new DelegatingDbContextFactory<PostgresAegisDbContext>(sp.GetRequiredService<IDbContextFactory<PostgresAegisDbContext>>()));
            services.AddSingleton(StorageDialect.Postgres);
            services.AddSingleton(new WriteGate(serialize: false));
        }
        else
        {
            Directory.CreateDirectory(Path.GetFullPath(options.DataDir));
            services.AddPooledDbContextFactory<SqliteAegisDbContext>(o => o.UseSqlite(options.SqliteConnectionString));
            services.AddSingleton<IDbContextFactory<AegisDbContext>>(sp =>
                new DelegatingDbContextFactory<SqliteAegisDbContext>(sp.GetRequiredService<IDbContextFactory<SqliteAegisDbContext>>()));
            services.AddSingleton(StorageDialect.Sqlite);
            services.AddSingleton(new WriteGate(serialize: true));
            services.AddSingleton<SqliteGroupCommit>();
        }

        services.AddSingleton<IActionStore, ActionStore>();
        services.AddSingleton<ITransitionStore, TransitionStore>();
        services.AddSingleton<WebhookTenantFlags>();
        services.AddSingleton<IWebhookStore, WebhookStore>();
        services.AddSingleton<ILinkStore, LinkStore>();
        services.AddSingleton<IServerKeyStore, ServerKeyStore>();
        services.AddSingleton<IActionInbox, ActionInbox>();
        services.AddSingleton<IMcpUpstreamStore, McpUpstreamStore>();
        services.AddSingleton<UsageMeter>();

        // The host registers its configured plans (a later registration wins); without one, everything is unlimited.
        services.TryAddSingleton(PlanCatalog.UnlimitedOnly);
        services.AddSingleton<IAccountStore, AccountStore>();
        services.AddSingleton<IBillingStore, BillingStore>();
        services.AddSingleton<IAuditStore, AuditStore>();
        services.AddSingleton<IPolicyStore, PolicyStore>();
        services.AddSingleton<DatabaseInitializer>();
        return services;
    }
}
