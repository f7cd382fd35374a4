using System.Net;
using Aegis.Core.Actions;
using Aegis.Core.Execution;
using Aegis.Core.Webhooks;

namespace Aegis.Core.Tests.Webhooks;

/// <summary>The pure webhook rules: which transition raises which event, the address policy, signatures and backoff.</summary>
public sealed class WebhookRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
    private readonly ActionStateMachine _machine = new(new ExecutionSettings(TimeSpan.FromSeconds(30), TimeSpan.FromHours(1), 3));

    [Fact]
    public void Each_outcome_transition_raises_its_event_and_execution_details_raise_none()
    {
        var pending = ActionRecord.Create("t", "k", "th", Payload.Parse("{}"), ActionState.Pending, Now);
        var approve = new Decision(DecisionOutcome.Approve, "r", DecisionMethod.Human, null, null, null, false, Now);
        var approved = ActionStateMachine.Decide(pending, approve, null)!;
        var begun = _machine.Begin(approved.To, "a", TimeSpan.FromSeconds(30), Now)!;

        Assert.Equal(WebhookEventTypes.Pending, WebhookEventTypes.ForCreated(pending));
        Assert.Equal(WebhookEventTypes.Decided, WebhookEventTypes.ForCreated(approved.To));
        Assert.Equal(WebhookEventTypes.Decided, WebhookEventTypes.For(approved));
        Assert.Equal(WebhookEventTypes.Expired, WebhookEventTypes.For(ActionStateMachine.ExpireOnDeadline(pending with { DecisionDeadline = Now }, Now)!));
        Assert.Null(WebhookEventTypes.For(begun));
        Assert.Null(WebhookEventTypes.For(ActionStateMachine.Extend(begun.To, begun.To.FencingToken, TimeSpan.FromSeconds(5), Now)));
        Assert.Null(WebhookEventTypes.For(_machine.Fail(begun.To, begun.To.FencingToken, "{}", retryable: true, "a", Now)));
        Assert.Equal(WebhookEventTypes.Failed, WebhookEventTypes.For(_machine.Fail(begun.To, begun.To.FencingToken, "{}", retryable: false, "a", Now)));
        Assert.Equal(WebhookEventTypes.Committed, WebhookEventTypes.For(ActionStateMachine.Complete(begun.To, begun.To.FencingToken, "{}", "a", Now)!));
        Assert.Null(WebhookEventTypes.ForCreated(begun.To));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("10.0.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.0.1")]
    [InlineData("100.64.0.1")]
    [InlineData("169.254.169.254")]
    [InlineData("0.0.0.0")]
    [InlineData("::1")]
    [InlineData("fd00:ec2::254")]
    [InlineData("fe80::1")]
    [InlineData("::ffff:192.168.0.1")]
    [InlineData("224.0.0.1")]
    public void Special_purpose_addresses_are_refused_by_default(string address) =>
        Assert.NotNull(WebhookAddressPolicy.Strict.Refusal(IPAddress.Parse(address)));

    [Theory]
    [InlineData("93.184.216.34")]
    [InlineData("2606:2800:220:1::1")]
    [InlineData("172.32.0.1")]
    public void Public_addresses_are_allowed(string address) =>
        Assert.Null(WebhookAddressPolicy.Strict.Refusal(IPAddress.Parse(address)));

    [Fact]
    public void Configuration_allows_private_networks_but_metadata_only_when_listed()
    {
        var permissive = new WebhookAddressPolicy(allowPrivate: true, []);
        Assert.Null(permissive.Refusal(IPAddress.Parse("10.0.0.1")));
        Assert.NotNull(permissive.Refusal(IPAddress.Parse("169.254.169.254")));
        Assert.NotNull(permissive.Refusal(IPAddress.Parse("fd00:ec2::254")));

        var listed = new WebhookAddressPolicy(allowPrivate: false, [IPNetwork.Parse("127.0.0.0/8")]);
        Assert.Null(listed.Refusal(IPAddress.Parse("127.0.0.1")));
        Assert.NotNull(listed.Refusal(IPAddress.Parse("10.0.0.1")));
    }

    [Fact]
    public void A_signature_verifies_only_for_the_same_secret_time_and_body()
    {
        var header = WebhookSignature.Sign("whsec_a", Now, "{\"x\":1}");

        Assert.Matches("^t=\\d+,v1=[0-9a-f]{64}$", header);
        Assert.True(WebhookSignature.Verify("whsec_a", header, "{\"x\":1}"));
        Assert.False(WebhookSignature.Verify("whsec_b", header, "{\"x\":1}"));
        Assert.False(WebhookSignature.Verify("whsec_a", header, "{\"x\":2}"));
        Assert.False(WebhookSignature.Verify("whsec_a", header.Replace("t=", "t=1", StringComparison.Ordinal), "{\"x\":1}"));
    }

    [Fact]
    public void Backoff_doubles_with_jitter_up_to_the_cap()
    {
        var settings = new WebhookSettings(TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(60), TimeSpan.FromHours(24), TimeSpan.FromMinutes(1), 20);

        Assert.Equal(TimeSpan.FromSeconds(2.5), settings.Backoff(1, 0));
        Assert.Equal(TimeSpan.FromSeconds(5), settings.Backoff(1, 1));
        Assert.Equal(TimeSpan.FromSeconds(20), settings.Backoff(3, 0.5) * 4 / 3);
        Assert.Equal(TimeSpan.FromMinutes(60), settings.Backoff(40, 1));
    }
}
