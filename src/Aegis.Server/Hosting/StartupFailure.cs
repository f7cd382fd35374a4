using System.Data.Common;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;

namespace Aegis.Server.Hosting;

/// <summary>
/// Turns the ways a start can fail because of the operator's setup (a bad setting, an unreachable database, a port
/// in use) into one readable line; anything else is a bug and keeps its stack trace.
/// </summary>
public static class StartupFailure
{
    /// <summary>Exit code for a start refused because of configuration or environment.</summary>
    public const int ExitCode = 2;

    /// <summary>The one-line explanation, or null when <paramref name="exception"/> is not a setup problem.</summary>
    public static string? Describe(Exception exception) => exception switch
    {
        ConfigurationErrorException e => e.Message,
        StartupRefusedException e => e.Message,
        OptionsValidationException e => "invalid configuration: " + string.Join("; ", e.Failures),
        InvalidOperationException e when e.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal) =>
            "invalid configuration: " + e.Message,
        IOException e when e.InnerException is SocketException or AddressInUseException => "cannot listen: " + e.Message,
        DbException e => "cannot reach the database: " + e.Message,
        SocketException e => "cannot reach the database: " + e.Message,
        AggregateException { InnerExceptions.Count: 1 } e => Describe(e.InnerExceptions[0]),
        _ when exception.InnerException is { } inner => Describe(inner),
        _ => null,
    };

    /// <summary>Builds and runs the server; a setup problem ends it with one line on stderr and <see cref="ExitCode"/>.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        try
        {
            var app = AegisApp.Build(args);
            await StartupChecks.DatabaseReachableAsync(app.Services);
            await app.RunAsync();
            return 0;
        }
        catch (Exception ex) when (Describe(ex) is { } line)
        {
            await Console.Error.WriteLineAsync("aegis: " + line.ReplaceLineEndings(" "));
            return ExitCode;
        }
    }
}
