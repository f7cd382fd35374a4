using Aegis.Server.Hosting;

try
{
    var app = AegisApp.Build(args);
    await app.RunAsync();
    return 0;
}
catch (StartupRefusedException ex)
{
    // One readable line, not a stack trace: the operator's configuration is at fault, not the server.
    await Console.Error.WriteLineAsync(ex.Message);
    return 2;
}

/// <summary>The entry point, public so test hosts can name the assembly.</summary>
public partial class Program;
