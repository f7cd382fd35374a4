using Aegis.Server.Hosting;

return await StartupFailure.RunAsync(args);

/// <summary>The entry point, public so test hosts can name the assembly.</summary>
public partial class Program;
