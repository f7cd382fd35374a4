using Aegis.Core.Actions;
using Aegis.Core.Exceptions;
using Aegis.Core.Identity;
using Aegis.Core.Ports;
using Microsoft.Extensions.Time.Testing;

namespace Aegis.Core.Tests.Actions;

/// <summary>Invariant 11 (docs/architecture.md): an agent cannot cause its own action to be approved, not by a timeout default nor by deciding.</summary>
public sealed class SelfApprovalTests
{
    private static readonly Principal Agent = new("acme", "key:agent", Roles.Agent);
    private static readonly Principal Admin = new("acme", "key:admin", Roles.TenantAdmin);
    private readonly InMemoryActionStore _store = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero));

    private ApprovalService Service => new(_store, new NullActionEventPublisher(), GateSettings.Default, _time);

    [Fact]
    public async Task An_agent_cannot_choose_on_timeout_APPROVE_and_nothing_is_stored()
    {
        var ex = await Assert.ThrowsAsync<PermissionDeniedException>(() => Service.RequestAsync(
            Agent, new RequestApprovalCommand("k", "t", null, Timeout: TimeSpan.FromMinutes(5), OnTimeout: DecisionOutcome.Approve), default));

        Assert.Equal(PermissionDeniedException.RoleRequired, ex.Reason);
        Assert.Null(await _store.FindByKeyAsync("acme", "k", default));
    }

    [Fact]
    public async Task An_agent_may_choose_on_timeout_REJECT_and_an_admin_may_choose_APPROVE()
    {
        var rejecting = await Service.RequestAsync(
            Agent, new RequestApprovalCommand("k1", "t", null, Timeout: TimeSpan.FromMinutes(5), OnTimeout: DecisionOutcome.Reject), default);
        var approving = await Service.RequestAsync(
            Admin, new RequestApprovalCommand("k2", "t", null, Timeout: TimeSpan.FromMinutes(5), OnTimeout: DecisionOutcome.Approve), default);

        Assert.Equal((DecisionOutcome.Reject, DecisionOutcome.Approve), (rejecting.OnTimeout, approving.OnTimeout));
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(999, true)]
    [InlineData(1000, false)]
    public async Task A_decision_timeout_below_the_floor_is_refused(int milliseconds, bool refused)
    {
        var service = new ApprovalService(_store, new NullActionEventPublisher(), new GateSettings(TimeSpan.FromSeconds(1)), _time);
        var timeout = TimeSpan.FromMilliseconds(milliseconds);
        var call = () => service.RequestAsync(Admin, new RequestApprovalCommand("k", "t", null, Timeout: timeout), default);
        var deadlineCall = () => service.RequestAsync(Admin, new RequestApprovalCommand("d", "t", null, Deadline: _time.GetUtcNow() + timeout), default);

        if (refused)
        {
            Assert.Equal("TIMEOUT_INVALID", (await Assert.ThrowsAsync<InvalidInputException>(call)).Reason);
            Assert.Equal("DEADLINE_INVALID", (await Assert.ThrowsAsync<InvalidInputException>(deadlineCall)).Reason);
        }
        else
        {
            Assert.Equal(_time.GetUtcNow() + timeout, (await call()).DecisionDeadline);
            Assert.Equal(_time.GetUtcNow() + timeout, (await deadlineCall()).DecisionDeadline);
        }
    }
}
