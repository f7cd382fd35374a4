using Aegis.Core.Actions;
using Aegis.Core.Policies;
using Aegis.Core.Ports;
using Aegis.Server.Policies;
using Aegis.Server.Workers;

namespace Aegis.Server.Hosting;

/// <summary>Registers tenant policies (CEL rules judging RequestApproval), edit checks, and the escalation worker.</summary>
public static class PolicyRegistration
{
    /// <summary>Adds the policy services. <see cref="ApprovalService"/> and <see cref="DecisionService"/> pick them up.</summary>
    public static IServiceCollection AddAegisPolicies(this IServiceCollection services)
    {
        services.AddSingleton<PolicyCache>();
        services.AddSingleton<PolicyService>();
        services.AddSingleton<IPayloadPatchCheck, JsonPatchCheck>();
        services.AddSingleton<EscalationRunner>();
        services.AddSingleton<EscalationWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<EscalationWorker>());
        return services;
    }
}
