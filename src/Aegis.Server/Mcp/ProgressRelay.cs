using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Aegis.Server.Mcp;

/// <summary>
/// Relays what a waiting call is waiting for to the MCP client as <c>notifications/progress</c>, in order, when the
/// client asked for progress (sent a progress token). A failed notification is dropped: it only keeps the call alive.
/// </summary>
public sealed class ProgressRelay(McpServer server, ProgressToken? token, CancellationToken cancellationToken) : IProgress<string>
{
    private readonly Lock _gate = new();
    private Task _last = Task.CompletedTask;
    private int _count;

    /// <inheritdoc />
    public void Report(string value)
    {
        if (token is not { } progressToken)
        {
            return;
        }

        lock (_gate)
        {
            var notification = new ProgressNotificationValue { Progress = ++_count, Message = value };
            var previous = _last;
            _last = SendAfterAsync(previous, progressToken, notification);
        }
    }

    private async Task SendAfterAsync(Task previous, ProgressToken progressToken, ProgressNotificationValue notification)
    {
        await previous;
        try
        {
            await server.NotifyProgressAsync(progressToken, notification, cancellationToken: cancellationToken);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidOperationException or McpException)
        {
            // The client is gone or the stream closed; the waiting call notices on its own.
        }
    }
}
