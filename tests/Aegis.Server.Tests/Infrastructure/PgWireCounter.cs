using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Aegis.Server.Tests.Infrastructure;

/// <summary>
/// A loopback TCP proxy in front of PostgreSQL that reads the wire protocol passing through it and counts, for
/// every connection, the round trips (one per <c>ReadyForQuery</c> the server sends: each Sync of a pipeline and
/// each simple query ends with one) and the statements executed (simple queries and extended-protocol Executes),
/// with their SQL. Deterministic, unlike timing: what a call costs in round trips does not depend on machine load.
/// Connections through it must not use TLS (<c>SSL Mode=Disable</c>).
/// </summary>
public sealed class PgWireCounter : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _pumps = [];
    private readonly Lock _gate = new();
    private readonly List<string> _statements = [];
    private int _roundTrips;
    private int _parses;

    /// <summary>Starts the proxy in front of <paramref name="targetHost"/>:<paramref name="targetPort"/>.</summary>
    public PgWireCounter(string targetHost, int targetPort)
    {
        _targetHost = targetHost;
        _targetPort = targetPort;
        _listener.Start();
        _pumps.Add(AcceptAsync());
    }

    /// <summary>The port to connect to instead of PostgreSQL's.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>ReadyForQuery messages seen after each connection's start-up, i.e. round trips.</summary>
    public int RoundTrips => Volatile.Read(ref _roundTrips);

    /// <summary>Parse messages sent by clients (a statement that is prepared is not parsed again).</summary>
    public int Parses => Volatile.Read(ref _parses);

    /// <summary>The SQL of every statement executed so far, in order.</summary>
    public IReadOnlyList<string> Statements
    {
        get
        {
            lock (_gate)
            {
                return [.. _statements];
            }
        }
    }

    /// <summary>Forgets what was counted so far.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _statements.Clear();
        }

        Interlocked.Exchange(ref _roundTrips, 0);
        Interlocked.Exchange(ref _parses, 0);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await Task.WhenAll(_pumps.ToArray());
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
            // Connections torn down by the stop.
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var server = new TcpClient();
            await server.ConnectAsync(_targetHost, _targetPort, _stop.Token);
            lock (_gate)
            {
                _pumps.Add(PumpAsync(client.GetStream(), server.GetStream(), fromClient: true, client, server));
                _pumps.Add(PumpAsync(server.GetStream(), client.GetStream(), fromClient: false, client, server));
            }
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to, bool fromClient, TcpClient client, TcpClient server)
    {
        var parser = new MessageParser(this, fromClient);
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReadAsync(buffer, _stop.Token);
                if (read == 0)
                {
                    break;
                }

                // Count before forwarding, so the count is complete by the time the client sees the reply.
                parser.Feed(buffer.AsSpan(0, read));
                await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or SocketException)
        {
            // One side went away.
        }
        finally
        {
            client.Dispose();
            server.Dispose();
        }
    }

    private sealed class MessageParser(PgWireCounter owner, bool fromClient)
    {
        private readonly List<byte> _pending = [];
        private readonly Dictionary<string, string> _prepared = [];
        private bool _started;
        private bool _readySeen;
        private string _boundSql = "";

        public void Feed(ReadOnlySpan<byte> bytes)
        {
            _pending.AddRange(bytes.ToArray());
            while (TryTake()) { }
        }

        private bool TryTake()
        {
            var data = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_pending);
            if (!_started)
            {
                if (fromClient)
                {
                    // Start-up messages carry no type byte: length, then protocol code (or an SSL/GSS request).
                    if (data.Length < 8)
                    {
                        return false;
                    }

                    var length = BinaryPrimitives.ReadInt32BigEndian(data);
                    if (data.Length < length)
                    {
                        return false;
                    }

                    var code = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                    _started = code == 196608;
                    _pending.RemoveRange(0, length);
                    return true;
                }

                // The server's one-byte answer to an SSL/GSS request, until authentication starts.
                if (data.Length == 0)
                {
                    return false;
                }

                if (data[0] == (byte)'N')
                {
                    _pending.RemoveAt(0);
                    return true;
                }

                _started = true;
            }

            if (data.Length < 5)
            {
                return false;
            }

            var size = BinaryPrimitives.ReadInt32BigEndian(data[1..]);
            if (data.Length < 1 + size)
            {
                return false;
            }

            OnMessage((char)data[0], data.Slice(5, size - 4));
            _pending.RemoveRange(0, 1 + size);
            return true;
        }

        private void OnMessage(char type, ReadOnlySpan<byte> body)
        {
            if (!fromClient)
            {
                if (type == 'Z')
                {
                    if (_readySeen)
                    {
                        Interlocked.Increment(ref owner._roundTrips);
                    }

                    _readySeen = true;
                }

                return;
            }

            switch (type)
            {
                case 'Q':
                    owner.Record(CString(body, out _));
                    break;
                case 'P':
                {
                    var name = CString(body, out var used);
                    _prepared[name] = CString(body[used..], out _);
                    Interlocked.Increment(ref owner._parses);
                    break;
                }

                case 'B':
                {
                    CString(body, out var used);
                    var statement = CString(body[used..], out _);
                    _boundSql = _prepared.GetValueOrDefault(statement, "?");
                    break;
                }

                case 'E':
                    owner.Record(_boundSql);
                    break;
            }
        }

        private static string CString(ReadOnlySpan<byte> body, out int used)
        {
            var end = body.IndexOf((byte)0);
            used = end + 1;
            return Encoding.UTF8.GetString(body[..end]);
        }
    }

    private void Record(string sql)
    {
        lock (_gate)
        {
            _statements.Add(string.Join(' ', sql.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)));
        }
    }
}
