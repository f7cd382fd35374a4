using System.Threading.Channels;
using Aegis.Core.Actions;
using Aegis.Core.Ports;

namespace Aegis.Core.Tests.Watching;

/// <summary>An in-memory subscriber that counts live subscriptions and lets a test publish to them.</summary>
internal sealed class FakeSubscriber : IActionSubscriber
{
    private readonly List<Sub> _live = [];

    public int Live => _live.Count;

    public ActionSubscription Subscribe(string tenantId, Guid? actionId)
    {
        var sub = new Sub(this);
        _live.Add(sub);
        return sub;
    }

    public void Publish(ActionRecord action)
    {
        foreach (var sub in _live)
        {
            sub.Channel.Writer.TryWrite(action);
        }
    }

    private sealed class Sub(FakeSubscriber owner) : ActionSubscription
    {
        public Channel<ActionRecord> Channel { get; } = System.Threading.Channels.Channel.CreateUnbounded<ActionRecord>();

        public override ChannelReader<ActionRecord> Events => Channel.Reader;

        protected override void Dispose(bool disposing) => owner._live.Remove(this);
    }
}
