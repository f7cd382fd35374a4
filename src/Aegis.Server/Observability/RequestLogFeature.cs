namespace Aegis.Server.Observability;

/// <summary>What a request's log line says beyond HTTP: filled in by the identity and RPC layers as the request runs.</summary>
public sealed class RequestLogFeature
{
    /// <summary>The caller's tenant, once known (never the credential that proved it).</summary>
    public string? Tenant { get; set; }

    /// <summary>The RPC, e.g. <c>aegis.hitl.v1.HitlService/Approve</c>, for gRPC and transcoded REST calls.</summary>
    public string? Rpc { get; set; }

    /// <summary>The RPC's gRPC status code name, e.g. <c>AlreadyExists</c>.</summary>
    public string? GrpcStatus { get; set; }
}
