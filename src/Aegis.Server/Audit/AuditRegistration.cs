using Aegis.Core.Audit;

namespace Aegis.Server.Audit;

/// <summary>Registers the audit log's use cases and the chain sealer.</summary>
public static class AuditRegistration
{
    /// <summary>Adds <see cref="AuditService"/>, <see cref="AuditSealer"/> and the sealer worker with its validated options.</summary>
    public static WebApplicationBuilder AddAegisAudit(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuditOptions>().BindConfiguration(AuditOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<AuditService>();
        builder.Services.AddSingleton<AuditSealer>();
        builder.Services.AddSingleton<AuditSealerWorker>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AuditSealerWorker>());
        return builder;
    }
}
