using Microsoft.Extensions.FileProviders;

namespace Aegis.Server.ReviewerConsole;

/// <summary>
/// Serves the reviewers' web console at <c>/console/</c>: static files from the build output's
/// <c>wwwroot/console</c> (found from the application's base directory, so it works whatever the working directory),
/// under <see cref="ConsoleSecurityHeadersMiddleware"/>. The console calls the REST API of the same origin.
/// </summary>
public static class ReviewerConsoleRegistration
{
    /// <summary>Where the console is served.</summary>
    public const string Path = "/console";

    /// <summary>Adds the console's middleware branch: security headers, <c>/console</c> → <c>/console/</c>, files.</summary>
    public static WebApplication UseReviewerConsole(this WebApplication app)
    {
        var root = System.IO.Path.Combine(AppContext.BaseDirectory, "wwwroot", "console");
        app.UseWhen(
            c => c.Request.Path.StartsWithSegments(Path),
            branch =>
            {
                branch.UseMiddleware<ConsoleSecurityHeadersMiddleware>();
                // Module scripts are loaded relative to the page, so the page must be at the folder's URL.
                branch.Use((context, next) =>
                {
                    if (context.Request.Path.Equals(Path, StringComparison.Ordinal))
                    {
                        context.Response.Redirect(Path + "/");
                        return Task.CompletedTask;
                    }

                    return next(context);
                });
                if (Directory.Exists(root))
                {
                    var files = new PhysicalFileProvider(root);
                    branch.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files, RequestPath = Path });
                    branch.UseStaticFiles(new StaticFileOptions { FileProvider = files, RequestPath = Path });
                }
            });
        return app;
    }
}
