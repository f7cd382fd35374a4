using System.ComponentModel.DataAnnotations;

namespace Aegis.Server.Hosting;

/// <summary>The <c>Aegis</c> configuration section. Validated at start: a bad value stops the process with a clear message.</summary>
public sealed class AegisOptions
{
    /// <summary>Section name.</summary>
    public const string Section = "Aegis";

    /// <summary>HTTP/1.1 port for REST, the API docs, metrics and health (0 = any free port, logged at start).</summary>
    [Range(0, 65535)]
    public int RestPort { get; set; } = 8000;

    /// <summary>HTTP/2 cleartext port for gRPC (0 = any free port, logged at start).</summary>
    [Range(0, 65535)]
    public int GrpcPort { get; set; } = 8001;

    /// <summary>Address both ports bind to. Loopback by default: the embedded default trusts the Tenant-Id header,
    /// which must not be reachable from other machines. Containers set <c>0.0.0.0</c>.</summary>
    [Required]
    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>Folder of the embedded SQLite database.</summary>
    [Required]
    public string DataDir { get; set; } = "./data";

    /// <summary>Serve gRPC server reflection (what grpcurl and Postman use to list the services). On by default.</summary>
    public bool GrpcReflection { get; set; } = true;

    /// <summary>Authentication settings.</summary>
    public AuthOptions Auth { get; set; } = new();
}
