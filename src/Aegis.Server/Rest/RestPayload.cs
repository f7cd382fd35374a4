using System.Text.Json;
using Aegis.Core.Actions;
using Grpc.Core;

namespace Aegis.Server.Rest;

/// <summary>
/// Reads the exact <c>payload</c> object of a transcoded REST body. Transcoding parses it into a
/// <c>google.protobuf.Struct</c>, which holds numbers as doubles (so <c>12345678901234567890</c> would lose digits);
/// <see cref="RestContractMiddleware"/> buffers the bodies of the routes that need this, and here the object's JSON
/// text is taken as sent.
/// </summary>
public static class RestPayload
{
    /// <summary>Routes whose request body is buffered so that <see cref="FromBodyAsync"/> can read it.</summary>
    public static ISet<string> BufferedPaths { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "/api/v1/hitl/requests" };

    /// <summary>The body's <c>payload</c> object exactly as sent; null for gRPC calls or when the body has none.</summary>
    public static async Task<Payload?> FromBodyAsync(ServerCallContext context)
    {
        var request = context.GetHttpContext().Request;
        if (!request.Body.CanSeek || request.ContentType is not { } type || !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        request.Body.Position = 0;
        using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: context.CancellationToken);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object
            || (root.TryGetProperty("payload_json", out var exact) && exact.ValueKind == JsonValueKind.String && exact.GetString()!.Length > 0))
        {
            // payload_json takes precedence over payload (see RequestApprovalRequest).
            return null;
        }

        return root.TryGetProperty("payload", out var payload)
            && payload.ValueKind == JsonValueKind.Object
            ? Payload.Parse(payload.GetRawText())
            : null;
    }
}
