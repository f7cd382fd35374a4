using System.Buffers;
using System.Text.Json;
using Aegis.Core.Exceptions;
using Aegis.Server.Grpc;
using Grpc.Core;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;

namespace Aegis.Server.Rest;

/// <summary>
/// A refusal that is a normal result — a duplicate decision, answered with the stored action — on a transcoded REST
/// call. The handler returns its response (the action) and leaves the refusal here instead of ending the call with an
/// error status; the REST edge then writes the error body once, around the action transcoding already rendered. The
/// error path would render the action into a <c>google.rpc.Status</c>, serialize it into a trailer, render that to
/// JSON through the type registry and have <see cref="RestErrorBody"/> re-read it — the larger part of a duplicate's
/// cost. The body, status and headers are the same as that path's; a gRPC caller still gets the status with details.
/// </summary>
public sealed class RestRefusal
{
    private const string ErrorInfoType = "type.googleapis.com/google.rpc.ErrorInfo";
    private const string ActionType = "type.googleapis.com/aegis.hitl.v1.Action";

    // The key under which an ASP.NET Core hosted call context keeps its HttpContext (Grpc.AspNetCore's documented
    // convention for ServerCallContext.UserState); a context without it (a unit test's) is not a transcoded call.
    private const string HttpContextKey = "__HttpContext";

    private RestRefusal(AegisException refusal, StatusCode code)
    {
        Refusal = refusal;
        Code = code;
    }

    /// <summary>The refusal, as the error mapping would have turned it into a status.</summary>
    public AegisException Refusal { get; }

    /// <summary>Its gRPC status code (for metrics and the request log).</summary>
    public StatusCode Code { get; }

    /// <summary>
    /// Ends the call with <paramref name="refusal"/>: left to the REST edge on a transcoded call, set as the call's
    /// status (<see cref="ErrorStatus.SetOn"/>) otherwise. Either way nothing is thrown.
    /// </summary>
    public static void Refuse(ServerCallContext context, AegisException refusal)
    {
        var code = (StatusCode)ErrorStatus.CodeOf(refusal);
        if (HttpStatusOf(code) is not null
            && context.UserState.TryGetValue(HttpContextKey, out var value) && value is HttpContext http
            && http.GetEndpoint()?.Metadata.GetMetadata<GrpcJsonTranscodingMetadata>() is not null)
        {
            http.Features.Set(new RestRefusal(refusal, code));
            return;
        }

        ErrorStatus.SetOn(context, refusal);
    }

    /// <summary>
    /// The error body of this refusal around the action in <paramref name="message"/> (the handler's response as the
    /// REST edge renders a success: exact texts in place), written to <paramref name="output"/>, and the REST status set
    /// on <paramref name="response"/>.
    /// </summary>
    public void Write(HttpResponse response, ReadOnlySpan<byte> message, IBufferWriter<byte> output)
    {
        response.StatusCode = HttpStatusOf(Code) ?? StatusCodes.Status500InternalServerError;
        var action = ActionOf(message);
        using (var writer = new Utf8JsonWriter(output, ExactJson.Output))
        {
            writer.WriteStartObject();
            writer.WriteNumber("code", (int)Code);
            writer.WriteString("message", Refusal.Message);
            writer.WriteStartArray("details");
            writer.WriteStartObject();
            writer.WriteString("@type", ErrorInfoType);
            writer.WriteString("reason", Refusal.Reason);
            writer.WriteString("domain", ErrorStatus.Domain);
            writer.WriteStartObject("metadata");
            foreach (var (key, value) in Refusal.Metadata)
            {
                writer.WriteString(key, value);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
            if (!action.IsEmpty)
            {
                WriteTypedAction(writer, action);
            }

            writer.WriteEndArray();
            writer.WriteString("reason", Refusal.Reason);
            if (!action.IsEmpty)
            {
                writer.WritePropertyName("action");
                writer.WriteRawValue(action, skipInputValidation: true);
                WriteStringOrNull(writer, "request_id", StringMember(action, "request_id"u8));
                WriteStringOrNull(writer, "state", StringMember(action, "state"u8));
            }

            writer.WriteEndObject();
        }
    }

    // The REST status of the codes that can be left to the edge: transcoding's mapping (RestErrorBody.StatusFor
    // changes none of them).
    private static int? HttpStatusOf(StatusCode code) => code switch
    {
        StatusCode.AlreadyExists => StatusCodes.Status409Conflict,
        _ => null,
    };

    // The action in a response message, as written: the message itself when the route answers the action alone
    // (the decision calls' `response_body: "action"`), else its `action` member.
    private static ReadOnlySpan<byte> ActionOf(ReadOnlySpan<byte> message)
    {
        try
        {
            return message.IsEmpty ? default : FindAction(message);
        }
        catch (JsonException)
        {
            return default;
        }
    }

    private static ReadOnlySpan<byte> FindAction(ReadOnlySpan<byte> message)
    {
        var reader = new Utf8JsonReader(message);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return default;
        }

        if (StringMember(message, "request_id"u8) is not null)
        {
            return message;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isAction = reader.ValueTextEquals("action"u8);
            reader.Read();
            if (isAction && reader.TokenType == JsonTokenType.StartObject)
            {
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                return message[start..(int)reader.BytesConsumed];
            }

            reader.Skip();
        }

        return default;
    }

    // The action as an error detail: an Any, its @type first, then the action's members as they are.
    private static void WriteTypedAction(Utf8JsonWriter writer, ReadOnlySpan<byte> action)
    {
        writer.WriteStartObject();
        writer.WriteString("@type", ActionType);
        var reader = new Utf8JsonReader(action);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            writer.WritePropertyName(reader.GetString()!);
            reader.Read();
            ExactJson.Copy(ref reader, writer);
        }

        writer.WriteEndObject();
    }

    private static string? StringMember(ReadOnlySpan<byte> json, ReadOnlySpan<byte> name)
    {
        var reader = new Utf8JsonReader(json);
        reader.Read();
        return RestErrorBody.StringMember(reader, name);
    }

    private static void WriteStringOrNull(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }
}
