using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Aegis.Client;

/// <summary>
/// Adds the caller's credentials (<c>authorization: Bearer</c> or <c>tenant-id</c>) and a fresh <c>x-request-id</c>
/// to every call that does not set its own. Retries made by the channel's retry policy resend the same headers, so a
/// call keeps one request id across its attempts.
/// </summary>
public sealed class AegisCallInterceptor(AegisClientOptions options) : Interceptor
{
    /// <inheritdoc />
    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation) =>
        continuation(request, WithHeaders(context));

    /// <inheritdoc />
    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncServerStreamingCallContinuation<TRequest, TResponse> continuation) =>
        continuation(request, WithHeaders(context));

    private ClientInterceptorContext<TRequest, TResponse> WithHeaders<TRequest, TResponse>(ClientInterceptorContext<TRequest, TResponse> context)
        where TRequest : class
        where TResponse : class
    {
        var headers = new Metadata();
        foreach (var entry in context.Options.Headers ?? [])
        {
            headers.Add(entry);
        }

        if (options.ApiKey is { Length: > 0 } key)
        {
            AddIfAbsent(headers, "authorization", $"Bearer {key}");
        }
        else if (options.TenantId is { Length: > 0 } tenant)
        {
            AddIfAbsent(headers, "tenant-id", tenant);
        }

        AddIfAbsent(headers, "x-request-id", Guid.NewGuid().ToString());
        return new ClientInterceptorContext<TRequest, TResponse>(context.Method, context.Host, context.Options.WithHeaders(headers));
    }

    private static void AddIfAbsent(Metadata headers, string key, string value)
    {
        if (headers.Get(key) is null)
        {
            headers.Add(key, value);
        }
    }
}
