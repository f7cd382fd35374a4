using Aegis.Core.Actions;
using Aegis.Core.Ports;
using Aegis.Core.Watching;
using Aegis.Server.Notifications;
using Aegis.Server.Workers;
using Microsoft.Extensions.Options;

namespace Aegis.Server.Hosting;

/// <summary>Registers the approval gate: RequestApproval, watches and their fan-out, and the deadline worker.</summary>
public static class ApprovalGateRegistration
{
    /// <summary>
    /// Adds the gate's services. With <c>ConnectionStrings:Redis</c> set, transitions fan out over Redis; without it,
    /// in process (and, when <paramref name="sharedDatabase"/>, other replicas' transitions are read from PostgreSQL).
    /// </summary>
    public static WebApplicationBuilder AddAegisApprovalGate(this WebApplicationBuilder builder, bool sharedDatabase)
    {
        var services = builder.Services;
        services.AddOptions<NotificationOptions>().BindConfiguration(NotificationOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DeadlineOptions>().BindConfiguration(DeadlineOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        services.AddSingleton<ActionEventHub>();
        services.AddSingleton<IActionSubscriber>(sp => sp.GetRequiredService<ActionEventHub>());
        var redis = builder.Configuration.GetConnectionString("Redis");
        if (!string.IsNullOrWhiteSpace(redis))
        {
            services.AddSingleton<NoticeReader>();
            services.AddHostedService(sp => sp.GetRequiredService<NoticeReader>());
            services.AddSingleton(sp => ActivatorUtilities.CreateInstance<RedisActionNotifier>(sp, redis));
            services.AddSingleton<IActionEventPublisher>(sp => sp.GetRequiredService<RedisActionNotifier>());
            services.AddSingleton<IFanOutStatus>(sp => sp.GetRequiredService<RedisActionNotifier>());
            services.AddHostedService(sp => sp.GetRequiredService<RedisActionNotifier>());
        }
        else
        {
            services.AddSingleton(sp => new InProcessActionNotifier(sp.GetRequiredService<ActionEventHub>(), sharedDatabase));
            services.AddSingleton<IActionEventPublisher>(sp => sp.GetRequiredService<InProcessActionNotifier>());
            services.AddSingleton<IFanOutStatus>(sp => sp.GetRequiredService<InProcessActionNotifier>());
        }

        services.AddHostedService<DatabaseFallbackPoller>();
        services.AddSingleton<DeadlineExpirer>();
        services.AddSingleton<DeadlineWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<DeadlineWorker>());
        services.AddAegisPolicies();

        services.AddSingleton(sp => new GateSettings(
            TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<DeadlineOptions>>().Value.MinTimeoutSeconds)));
        services.AddSingleton<ApprovalService>();
        services.AddSingleton(sp => new WatchSettings(
            TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<NotificationOptions>>().Value.HeartbeatSeconds)));
        services.AddSingleton<WatchService>();
        services.AddSingleton<InboxService>();
        return builder;
    }
}
