using System.Collections.Concurrent;
using Aegis.Api.V1;
using Google.Protobuf.Reflection;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;

namespace Aegis.Server.Rest;

/// <summary>
/// What the REST edge does for one transcoded method, read once from its descriptor and its <c>google.api.http</c>
/// rule (the transcoding endpoint metadata), never from path strings.
/// </summary>
/// <param name="SuccessStatus">The status of a successful call: the method's <c>aegis.api.v1.rest_success_status</c>, else 200.</param>
/// <param name="ExactPayloadIn">The JSON body maps onto a request with <c>payload</c> and <c>payload_json</c>: hand the payload over as text.</param>
/// <param name="ExactOut">The response carries actions or audit events: write their stored JSON texts exactly.</param>
/// <param name="Streaming">A server stream (newline-delimited JSON), rewritten line by line.</param>
public sealed record RestRoute(int SuccessStatus, bool ExactPayloadIn, bool ExactOut, bool Streaming)
{
    private static readonly ConcurrentDictionary<MethodDescriptor, RestRoute> Routes = new();

    /// <summary>The route of the transcoded endpoint described by <paramref name="metadata"/>.</summary>
    public static RestRoute For(GrpcJsonTranscodingMetadata metadata) =>
        Routes.GetOrAdd(metadata.MethodDescriptor, static (method, rule) => Build(method, rule.Body), metadata.HttpRule);

    private static RestRoute Build(MethodDescriptor method, string body)
    {
        var status = method.GetOptions()?.GetExtension(RestExtensions.RestSuccessStatus) ?? 0;
        var input = method.InputType;
        return new RestRoute(
            status > 0 ? status : StatusCodes.Status200OK,
            body == "*" && input.FindFieldByName("payload") is not null && input.FindFieldByName("payload_json") is not null,
            CarriesExactJson(method.OutputType),
            method.IsServerStreaming);
    }

    // The messages whose JSON fields have exact stored texts beside them (ExactJson knows their containers).
    private static readonly string[] ExactMessages = [Hitl.V1.Action.Descriptor.FullName, global::Aegis.Audit.V1.AuditEvent.Descriptor.FullName];

    private static bool CarriesExactJson(MessageDescriptor message) =>
        ExactMessages.Contains(message.FullName)
        || message.Fields.InDeclarationOrder().Any(f => f.FieldType == FieldType.Message && ExactMessages.Contains(f.MessageType.FullName));
}
