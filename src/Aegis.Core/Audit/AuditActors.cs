namespace Aegis.Core.Audit;

/// <summary>How an actor acted, read from the shape of its principal id (see <see cref="Identity.Principal.Id"/>).</summary>
public static class AuditActors
{
    /// <summary>An API key (<c>key:&lt;id&gt;</c>).</summary>
    public const string ApiKey = "api_key";

    /// <summary>The trusted <c>Tenant-Id</c> header (self-hosted mode).</summary>
    public const string TenantHeader = "tenant_header";

    /// <summary>The service operator's key (<c>operator:&lt;hash prefix&gt;</c>).</summary>
    public const string OperatorKey = "operator_key";

    /// <summary>A tenant policy (<c>policy:&lt;name&gt;@&lt;version&gt;</c>).</summary>
    public const string Policy = "policy";

    /// <summary>A decision deadline.</summary>
    public const string Timeout = "timeout";

    /// <summary>A verified payment provider event.</summary>
    public const string PaymentEvent = "payment_event";

    /// <summary>Signup (the account's first key).</summary>
    public const string Signup = "signup";

    /// <summary>The server itself (workers: lease expiry).</summary>
    public const string System = "system";

    /// <summary>The method of <paramref name="actor"/>: api_key, tenant_header, operator_key, policy, timeout, payment_event, signup or system.</summary>
    public static string MethodOf(string actor) => actor switch
    {
        _ when actor.StartsWith("key:", StringComparison.Ordinal) => ApiKey,
        _ when actor.StartsWith("operator:", StringComparison.Ordinal) => OperatorKey,
        _ when actor.StartsWith("policy:", StringComparison.Ordinal) => Policy,
        _ when actor.StartsWith("stripe", StringComparison.Ordinal) => PaymentEvent,
        "tenant-header" => TenantHeader,
        "timeout" => Timeout,
        "signup" => Signup,
        _ => System,
    };
}
