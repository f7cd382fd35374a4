using Aegis.Core.Execution;
using Microsoft.Extensions.Options;

namespace Aegis.Server.Execution;

/// <summary>Registers exactly-once execution: its validated options, Core services and background workers.</summary>
public static class ExecutionHosting
{
    /// <summary>Adds the execution guard, the lease reaper and the retention purge.</summary>
    public static WebApplicationBuilder AddAegisExecution(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ExecutionOptions>()
            .BindConfiguration(ExecutionOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.DefaultLeaseSeconds <= o.MaxLeaseSeconds, "Aegis:Execution:DefaultLeaseSeconds must not exceed MaxLeaseSeconds.")
            .ValidateOnStart();
        builder.Services.AddOptions<RetentionOptions>()
            .BindConfiguration(RetentionOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<ExecutionOptions>>().Value;
            return new ExecutionSettings(TimeSpan.FromSeconds(o.DefaultLeaseSeconds), TimeSpan.FromSeconds(o.MaxLeaseSeconds), o.MaxAttempts);
        });
        builder.Services.AddSingleton(sp => new RetentionSettings(TimeSpan.FromDays(sp.GetRequiredService<IOptions<RetentionOptions>>().Value.Days)));
        builder.Services.AddSingleton<ExecutionService>();
        builder.Services.AddSingleton<LeaseReaper>();
        builder.Services.AddSingleton<RetentionPurger>();
        builder.Services.AddHostedService<LeaseReaperService>();
        builder.Services.AddHostedService<RetentionPurgeService>();
        return builder;
    }
}
