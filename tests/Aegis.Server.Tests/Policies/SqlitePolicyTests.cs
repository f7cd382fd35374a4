using Aegis.Core.Actions;
using Aegis.Hitl.V1;
using Aegis.Policy.V1;
using Aegis.Server.Tests.Infrastructure;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.DependencyInjection;
using ActionState = Aegis.Hitl.V1.ActionState;

namespace Aegis.Server.Tests.Policies;

/// <summary>The embedded default (SQLite) runs the same policies, quorum, edits and escalations.</summary>
public sealed class SqlitePolicyTests() : EmbeddedServerTests("aegis-policy-")
{
    [Fact]
    public async Task Embedded_server_applies_a_policy_gathers_a_quorum_edits_and_escalates()
    {
        var calls = new PolicyCalls(Server, grpc: true);
        var admin = await calls.KeyAsync("solo", "API_KEY_ROLE_ADMIN", "owner");
        var agent = await calls.KeyAsync("solo", "API_KEY_ROLE_AGENT", "bot");
        var r1 = await calls.KeyAsync("solo", "API_KEY_ROLE_REVIEWER", "r1");
        var r2 = await calls.KeyAsync("solo", "API_KEY_ROLE_REVIEWER", "r2");
        var policy = PolicyCalls.Payments();
        policy.Rules[2].EscalateAfter = Duration.FromTimeSpan(TimeSpan.FromHours(1));
        policy.Rules[2].EscalationGroup = "cfo";
        await calls.SaveAsync(admin, policy);

        var small = await calls.RequestAsync(agent, "small", """{"tool":"pay","amount":1}""");
        var large = await calls.RequestAsync(agent, "large", """{"tool":"pay","amount":5000}""");
        var escalated = await Server.Services.GetRequiredService<EscalationRunner>().EscalateDueAsync(large.EscalateAt.ToDateTimeOffset(), 10, CancellationToken.None);
        var edited = await new HitlService.HitlServiceClient(Server.Grpc).ApproveWithEditsAsync(
            new ApproveWithEditsRequest { RequestId = large.RequestId, EditedPayloadJson = """{"tool":"pay","amount":4000}""" }, AccountCalls.GrpcAuth(r1));
        var repeat = await calls.ApproveAsync(r1, "large");
        var approved = await calls.ApproveAsync(r2, "large");

        Assert.Equal(ActionState.Approved, small.State);
        Assert.Equal("payments@1", small.Decision.Policy);
        Assert.Equal(Guid.Parse(large.RequestId), Assert.Single(escalated).Id);
        Assert.Equal(ActionState.Pending, edited.Action.State);
        Assert.Single(edited.Action.Approvals);
        Assert.True(repeat.Duplicate);
        Assert.Equal(ActionState.Approved, approved.Action.State);
        Assert.Equal("""{"tool":"pay","amount":4000}""", approved.Action.PayloadJson);
        Assert.Equal("""[{"op":"replace","path":"/amount","value":4000}]""", approved.Action.Edit.PatchJson);
        Assert.NotNull(approved.Action.EscalatedAt);
    }
}
