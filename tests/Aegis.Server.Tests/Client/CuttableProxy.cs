using System.Net;
using System.Net.Sockets;

namespace Aegis.Server.Tests.Client;

/// <summary>Forwards loopback connections to a port; <see cref="Cut"/> drops every open one (new ones are accepted).</summary>
public sealed class CuttableProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly List<Socket> _open = [];
    private readonly int _target;
    private readonly Task _accepting;
    private int _connections;

    /// <summary>Starts forwarding to <paramref name="target"/> on a free loopback port.</summary>
    public CuttableProxy(int target)
    {
        _target = target;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>The proxy's port.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Completes when the target first sent something back.</summary>
    public TaskCompletionSource Responded { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Drops every open connection, both sides, at once.</summary>
    public void Cut()
    {
        lock (_open)
        {
            foreach (var socket in _open)
            {
                socket.Close(0);
            }

            _open.Clear();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        Cut();
        await _accepting;
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptSocketAsync();
                var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await server.ConnectAsync(IPAddress.Loopback, _target);
                lock (_open)
                {
                    _open.Add(client);
                    _open.Add(server);
                }

                Interlocked.Increment(ref _connections);
                _ = PumpAsync(client, server, null);
                _ = PumpAsync(server, client, Responded);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // The listener was stopped.
        }
    }

    private static async Task PumpAsync(Socket from, Socket to, TaskCompletionSource? seen)
    {
        var buffer = new byte[65536];
        try
        {
            int read;
            while ((read = await from.ReceiveAsync(buffer)) > 0)
            {
                seen?.TrySetResult();
                await to.SendAsync(buffer.AsMemory(0, read));
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Cut.
        }
        finally
        {
            to.Close(0);
        }
    }
}
