using Aegis.Server.Hosting;

var app = AegisApp.Build(args);
await app.RunAsync();

/// <summary>The entry point, public so test hosts can name the assembly.</summary>
public partial class Program;
