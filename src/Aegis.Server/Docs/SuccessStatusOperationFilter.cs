using Aegis.Server.Rest;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;
using Microsoft.OpenApi.Models;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Aegis.Server.Docs;

/// <summary>
/// Documents the status a successful call really answers. Transcoding describes every success as 200; the REST edge
/// answers the method's declared status (202 for the calls that accept an action), read from the same
/// <see cref="RestRoute"/> the edge uses, so the document and the wire cannot disagree.
/// </summary>
public sealed class SuccessStatusOperationFilter : IOperationFilter
{
    /// <inheritdoc />
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<GrpcJsonTranscodingMetadata>().FirstOrDefault();
        if (metadata is null)
        {
            return;
        }

        var status = RestRoute.For(metadata).SuccessStatus.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (status != "200" && operation.Responses.Remove("200", out var success))
        {
            success.Description = status == "202" ? "Accepted: the action, as stored." : success.Description;
            operation.Responses[status] = success;
        }
    }
}
