using ModelContextProtocol;

namespace Aegis.Server.Tests.Mcp;

/// <summary>
/// Reports progress notifications on the caller's thread (<see cref="Progress{T}"/> posts them to the thread pool), so a
/// test knows the moment a call says it is waiting.
/// </summary>
public sealed class SyncProgress(Action<ProgressNotificationValue> report) : IProgress<ProgressNotificationValue>
{
    /// <inheritdoc />
    public void Report(ProgressNotificationValue value) => report(value);
}
