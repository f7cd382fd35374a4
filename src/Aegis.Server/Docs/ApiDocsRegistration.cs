using Microsoft.OpenApi.Models;

namespace Aegis.Server.Docs;

/// <summary>The OpenAPI document of the REST surface, generated from the protos (routes and comments), and its UI at <c>/docs</c>.</summary>
public static class ApiDocsRegistration
{
    /// <summary>Where the document is served.</summary>
    public const string DocumentPath = "/docs/v1/openapi.json";

    /// <summary>Registers the gRPC-aware OpenAPI generator with the protos' comments (compiled into Aegis.Contracts.xml).</summary>
    public static WebApplicationBuilder AddAegisApiDocs(this WebApplicationBuilder builder)
    {
        builder.Services.AddGrpcSwagger();
        builder.Services.AddSwaggerGen(o =>
        {
            o.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "Aegis REST API",
                Version = "v1",
                Description = "The REST surface of Aegis, transcoded from the gRPC services in protos/. gRPC clients use port 8001 with the same RPCs.",
            });
            var comments = Path.Combine(AppContext.BaseDirectory, "Aegis.Contracts.xml");
            if (File.Exists(comments))
            {
                o.IncludeGrpcXmlComments(comments, includeControllerXmlComments: true);
            }

            o.OperationFilter<SuccessStatusOperationFilter>();
            o.DocumentFilter<ErrorResponsesDocumentFilter>();
        });
        return builder;
    }

    /// <summary>Serves the document at <see cref="DocumentPath"/> and Swagger UI at <c>/docs</c>.</summary>
    public static WebApplication MapAegisApiDocs(this WebApplication app)
    {
        app.UseSwagger(o => o.RouteTemplate = "docs/{documentName}/openapi.json");
        app.UseSwaggerUI(o =>
        {
            o.RoutePrefix = "docs";
            o.DocumentTitle = "Aegis API";
            o.SwaggerEndpoint("/docs/v1/openapi.json", "Aegis v1");
        });
        return app;
    }
}
