using System.Diagnostics;
using System.Net;
using Aegis.Server.Hosting;
using Aegis.Server.Identity;

namespace Aegis.Server.Tests.Trust;

/// <summary>Trusted <c>Tenant-Id</c> mode is never implied on an address other machines can reach.</summary>
public sealed class TrustedModeStartupTests : IDisposable
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "aegis-trust-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task The_server_process_refuses_to_start_with_trusted_mode_implied_on_a_non_loopback_address_and_says_why_in_one_line()
    {
        // Refused before anything is bound, so nothing ever listens on 0.0.0.0.
        var info = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Aegis.Server.dll")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        info.Environment["Aegis__ListenAddress"] = "0.0.0.0";
        info.Environment["Aegis__RestPort"] = "0";
        info.Environment["Aegis__GrpcPort"] = "0";
        info.Environment["Aegis__DataDir"] = _dataDir;
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        var lines = (await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, process.ExitCode);
        var line = Assert.Single(lines);
        Assert.Contains("Aegis:Auth:TrustTenantHeader", line);
        Assert.Contains("0.0.0.0", line);
        Assert.DoesNotContain("listening", await stdout, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(null, true, "127.0.0.1", true)]
    [InlineData(null, true, "::1", true)]
    [InlineData(null, false, "0.0.0.0", false)]
    [InlineData(false, true, "0.0.0.0", false)]
    [InlineData(true, true, "0.0.0.0", true)]
    [InlineData(true, false, "10.1.2.3", true)]
    public void Trusted_mode_is_implied_only_on_loopback_and_explicit_settings_win(bool? configured, bool embedded, string address, bool enabled) =>
        Assert.Equal(enabled, TrustedHeaderMode.Resolve(configured, embedded, IPAddress.Parse(address)).Enabled);

    [Fact]
    public void Implied_trusted_mode_on_a_public_address_is_refused_in_process_too() =>
        Assert.Throws<StartupRefusedException>(() => AegisApp.Build([], new Dictionary<string, string?>
        {
            ["Aegis:ListenAddress"] = "0.0.0.0",
            ["Aegis:DataDir"] = _dataDir,
        }));

    /// <inheritdoc />
    public void Dispose()
    {
        if (Directory.Exists(_dataDir))
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }
}
