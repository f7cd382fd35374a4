using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Aegis.FaultTests.Fuzzing;

/// <summary>
/// HTTP/1.1 requests written byte for byte on a socket, so a request can carry what <see cref="HttpClient"/> refuses
/// to send (NUL and invalid UTF-8 in headers, broken framing) and its body can arrive slowly.
/// </summary>
public static class RawHttp
{
    /// <summary>How long a request may take before it counts as a hang.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    /// <summary>The head of a request: request line and headers (each char one byte, so any byte can be written), then a blank line.</summary>
    public static byte[] Head(string method, string target, IEnumerable<(string Name, string Value)> headers) =>
        Encoding.Latin1.GetBytes($"{method} {target} HTTP/1.1\r\n" + string.Concat(headers.Select(h => $"{h.Name}: {h.Value}\r\n")) + "\r\n");

    /// <summary>
    /// Sends <paramref name="head"/> and <paramref name="body"/> (in chunks <paramref name="chunkDelay"/> apart when given)
    /// and reads the status line of the answer.
    /// </summary>
    public static async Task<FuzzOutcome> SendAsync(int port, byte[] head, byte[] body, int chunk = 0, TimeSpan chunkDelay = default, bool stallAfterHalf = false)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        using var client = new TcpClient { NoDelay = true };
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            var stream = client.GetStream();

            // Written while the answer is read: the server may answer (413, 400) before the body is all there.
            using var stopWriting = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
            var writing = WriteAsync(stream, head, body, chunk, chunkDelay, stallAfterHalf, stopWriting.Token);
            var status = await ReadStatusAsync(stream, timeout.Token);
            await stopWriting.CancelAsync();
            try
            {
                await writing;
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The server stopped reading after it answered: fine, the answer is what counts.
            }

            return status switch
            {
                null => new FuzzOutcome("closed without an answer", "closed"),
                var s => new FuzzOutcome($"REST {s / 100}xx", s.ToString()!),
            };
        }
        catch (OperationCanceledException)
        {
            return new FuzzOutcome("hang", $"no answer within {Timeout.TotalSeconds:F0} s");
        }
        catch (Exception ex) when (ex is IOException or SocketException)
        {
            return new FuzzOutcome("closed without an answer", ex.GetType().Name, ex.Message);
        }
    }

    private static async Task WriteAsync(NetworkStream stream, byte[] head, byte[] body, int chunk, TimeSpan delay, bool stall, CancellationToken ct)
    {
        await stream.WriteAsync(head, ct);
        if (chunk <= 0)
        {
            await stream.WriteAsync(body, ct);
            return;
        }

        var end = stall ? body.Length / 2 : body.Length;
        for (var at = 0; at < end; at += chunk)
        {
            await stream.WriteAsync(body.AsMemory(at, Math.Min(chunk, end - at)), ct);
            await Task.Delay(delay, ct);
        }

        if (stall)
        {
            // The rest never comes: the server must give up on the body with a 4xx (408), not wait forever.
            await Task.Delay(Timeout, ct);
        }
    }

    // Reads up to the end of the status line; null if the connection closed first.
    private static async Task<int?> ReadStatusAsync(NetworkStream stream, CancellationToken ct)
    {
        var line = new StringBuilder();
        var buffer = new byte[1];
        while (line.Length < 200)
        {
            var n = await stream.ReadAsync(buffer, ct);
            if (n == 0)
            {
                return null;
            }

            if (buffer[0] == '\n')
            {
                break;
            }

            line.Append((char)buffer[0]);
        }

        // "HTTP/1.1 400 Bad Request"
        var parts = line.ToString().Split(' ');
        return parts.Length > 1 && int.TryParse(parts[1], out var status) ? status : 0;
    }
}
