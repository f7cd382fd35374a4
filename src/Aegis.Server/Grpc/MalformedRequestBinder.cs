using System.Reflection;
using Google.Protobuf;
using Google.Rpc;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Microsoft.AspNetCore.Routing;

namespace Aegis.Server.Grpc;

/// <summary>
/// Adds each method of a generated service to the endpoint model, with its handler found on
/// <typeparamref name="TService"/> and a request deserializer that turns a protobuf parse failure into
/// <c>INVALID_ARGUMENT</c> (see <see cref="MalformedRequestMethodProvider{TService}"/>).
/// </summary>
/// <typeparam name="TService">The service implementation.</typeparam>
/// <param name="context">Where the methods are added.</param>
public sealed class MalformedRequestBinder<TService>(ServiceMethodProviderContext<TService> context) : ServiceBinderBase
    where TService : class
{
    /// <inheritdoc />
    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler)
    {
        var (invoker, metadata) = Handler<UnaryServerMethod<TService, TRequest, TResponse>>(method.Name, typeof(TRequest), typeof(ServerCallContext));
        context.AddUnaryMethod(Strict(method), metadata, invoker);
    }

    /// <inheritdoc />
    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler)
    {
        var (invoker, metadata) = Handler<ServerStreamingServerMethod<TService, TRequest, TResponse>>(
            method.Name, typeof(TRequest), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext));
        context.AddServerStreamingMethod(Strict(method), metadata, invoker);
    }

    /// <inheritdoc />
    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler)
    {
        var (invoker, metadata) = Handler<ClientStreamingServerMethod<TService, TRequest, TResponse>>(
            method.Name, typeof(IAsyncStreamReader<TRequest>), typeof(ServerCallContext));
        context.AddClientStreamingMethod(Strict(method), metadata, invoker);
    }

    /// <inheritdoc />
    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler)
    {
        var (invoker, metadata) = Handler<DuplexStreamingServerMethod<TService, TRequest, TResponse>>(
            method.Name, typeof(IAsyncStreamReader<TRequest>), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext));
        context.AddDuplexStreamingMethod(Strict(method), metadata, invoker);
    }

    private static Method<TRequest, TResponse> Strict<TRequest, TResponse>(Method<TRequest, TResponse> method)
        where TRequest : class
        where TResponse : class
    {
        var inner = method.RequestMarshaller;
        var strict = Marshallers.Create(inner.ContextualSerializer, deserialization =>
        {
            try
            {
                return inner.ContextualDeserializer(deserialization);
            }
            catch (InvalidProtocolBufferException ex)
            {
                throw new Google.Rpc.Status
                {
                    Code = (int)Code.InvalidArgument,
                    Message = $"The request is not a valid {typeof(TRequest).Name}: {ex.Message}",
                    Details = { Google.Protobuf.WellKnownTypes.Any.Pack(new ErrorInfo { Reason = "MALFORMED_REQUEST", Domain = ErrorStatus.Domain }) },
                }.ToRpcException();
            }
        });
        return new Method<TRequest, TResponse>(method.Type, method.ServiceName, method.Name, strict, method.ResponseMarshaller);
    }

    // As grpc-dotnet's binder: the public method of that name and signature on the service, called on the instance
    // it activates per call; the endpoint carries the attributes of the service and the method, and POST only.
    private static (TDelegate Invoker, List<object> Metadata) Handler<TDelegate>(string name, params Type[] parameters)
        where TDelegate : Delegate
    {
        var handler = typeof(TService).GetMethod(name, BindingFlags.Public | BindingFlags.Instance, parameters)
            ?? throw new InvalidOperationException($"{typeof(TService).Name} has no method {name}.");
        var metadata = new List<object>();
        metadata.AddRange(typeof(TService).GetCustomAttributes(inherit: true));
        metadata.AddRange(handler.GetCustomAttributes(inherit: true));
        metadata.Add(new HttpMethodMetadata(["POST"], acceptCorsPreflight: true));
        return ((TDelegate)Delegate.CreateDelegate(typeof(TDelegate), handler), metadata);
    }
}
