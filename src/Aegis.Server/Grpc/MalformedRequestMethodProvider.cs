using System.Reflection;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;

namespace Aegis.Server.Grpc;

/// <summary>
/// Binds a generated gRPC service's methods the way grpc-dotnet's own binder does, except that a request whose bytes
/// are not a valid message (truncated, a wrong wire type, invalid UTF-8 in a string) is refused with
/// <c>INVALID_ARGUMENT</c> (reason <c>MALFORMED_REQUEST</c>). grpc-dotnet deserializes before any interceptor runs and
/// answers such a request with <c>UNKNOWN</c> ("Exception was thrown by handler"), a server error for bad input.
/// Registered in place of grpc-dotnet's binder (see <c>AegisApp</c>).
/// </summary>
/// <typeparam name="TService">The service implementation.</typeparam>
public sealed class MalformedRequestMethodProvider<TService> : IServiceMethodProvider<TService>
    where TService : class
{
    /// <inheritdoc />
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<TService> context)
    {
        // The generated base class names its static BindService(ServiceBinderBase, TBase) in [BindServiceMethod].
        var attribute = typeof(TService).GetCustomAttribute<BindServiceMethodAttribute>(inherit: true);
        var bind = attribute?.BindType.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
            .FirstOrDefault(m => m.Name == attribute.BindMethodName && m.GetParameters().Length == 2);
        bind?.Invoke(null, [new MalformedRequestBinder<TService>(context), null]);
    }
}
