using System.Diagnostics;

namespace Aegis.Server.Tests.Operability;

/// <summary>A bad setting stops the server process at once with one readable line and a non-zero exit code.</summary>
public sealed class StartupValidationTests
{
    [Theory]
    [InlineData("ConnectionStrings__Postgres", "Hots=db;Username=aegis;Password=hunter2-secret", "aegis: invalid configuration", "ConnectionStrings:Postgres")]
    [InlineData("ConnectionStrings__Postgres", "Host=127.0.0.1;Port=1;Username=aegis;Password=hunter2-secret", "aegis: cannot reach the database", "127.0.0.1")]
    [InlineData("Aegis__RestPort", "70000", "aegis: invalid configuration", "RestPort")]
    [InlineData("Aegis__GrpcPort", "eight", "aegis: invalid configuration", "Aegis:GrpcPort")]
    [InlineData("Aegis__Billing__Plans__pro", "-5", "aegis: invalid configuration", "Aegis:Billing:Plans:pro")]
    [InlineData("Aegis__Billing__SignupPlan", "gold", "aegis: invalid configuration", "SignupPlan")]
    [InlineData("ConnectionStrings__Redis", "127.0.0.1:6379,connectTimeout=soon", "aegis: invalid configuration", "ConnectionStrings:Redis")]
    public async Task A_bad_setting_stops_the_process_with_one_readable_line(string key, string value, string prefix, string named)
    {
        var info = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Aegis.Server.dll")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        info.Environment["Aegis__RestPort"] = "0";
        info.Environment["Aegis__GrpcPort"] = "0";
        info.Environment["Aegis__DataDir"] = Path.Combine(Path.GetTempPath(), "aegis-startup-" + Guid.NewGuid().ToString("N"));
        info.Environment[key] = value;

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            // A server that started anyway must not outlive the test.
            process.Kill(entireProcessTree: true);
        }

        var lines = ((await stdout) + (await stderr)).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(2, process.ExitCode);
        var line = Assert.Single(lines);
        Assert.StartsWith(prefix, line, StringComparison.Ordinal);
        Assert.Contains(named, line, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2-secret", line, StringComparison.Ordinal);
    }
}
