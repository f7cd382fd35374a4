using Grpc.Core;

namespace Aegis.Server.Tests.Grpc;

/// <summary>
/// A <see cref="ServerCallContext"/> without HTTP, for calling gRPC handlers directly in unit tests (the shape of
/// grpc-dotnet's Tester example): request metadata in, status and trailers out.
/// </summary>
public sealed class TestServerCallContext(Metadata requestHeaders, CancellationToken cancellationToken = default) : ServerCallContext
{
    private readonly Metadata _responseTrailers = [];
    private readonly Dictionary<object, object> _userState = [];

    /// <summary>The headers the handler wrote, if it wrote any.</summary>
    public Metadata? ResponseHeaders { get; private set; }

    /// <summary>A context whose request carries <paramref name="headers"/> (name, value) as metadata.</summary>
    public static TestServerCallContext With(params (string Name, string Value)[] headers)
    {
        var metadata = new Metadata();
        foreach (var (name, value) in headers)
        {
            metadata.Add(name, value);
        }

        return new TestServerCallContext(metadata);
    }

    /// <inheritdoc />
    protected override string MethodCore => "/test/Method";

    /// <inheritdoc />
    protected override string HostCore => "localhost";

    /// <inheritdoc />
    protected override string PeerCore => "ipv4:127.0.0.1:1";

    /// <inheritdoc />
    protected override DateTime DeadlineCore => DateTime.MaxValue;

    /// <inheritdoc />
    protected override Metadata RequestHeadersCore => requestHeaders;

    /// <inheritdoc />
    protected override CancellationToken CancellationTokenCore => cancellationToken;

    /// <inheritdoc />
    protected override Metadata ResponseTrailersCore => _responseTrailers;

    /// <inheritdoc />
    protected override Status StatusCore { get; set; }

    /// <inheritdoc />
    protected override WriteOptions? WriteOptionsCore { get; set; }

    /// <inheritdoc />
    protected override AuthContext AuthContextCore => new(null, []);

    /// <inheritdoc />
    protected override IDictionary<object, object> UserStateCore => _userState;

    /// <inheritdoc />
    protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) => throw new NotSupportedException();

    /// <inheritdoc />
    protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders)
    {
        ResponseHeaders = responseHeaders;
        return Task.CompletedTask;
    }
}
