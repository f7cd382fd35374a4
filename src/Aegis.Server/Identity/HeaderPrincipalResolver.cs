using Aegis.Core.Accounts;
using Aegis.Core.Exceptions;
using Aegis.Core.Identity;
using Aegis.Server.Grpc;
using Grpc.Core;

namespace Aegis.Server.Identity;

/// <summary>
/// Resolves the caller. An API key (<c>Authorization: Bearer sk_live_…</c> on REST, the same <c>authorization</c>
/// metadata on gRPC) comes first and is checked against the database on every request, so a revoked key is refused
/// at once on every replica. The <c>Tenant-Id</c> header is honoured only in trusted mode (on by default for the
/// embedded SQLite server, off by default with PostgreSQL: <c>Aegis:Auth:TrustTenantHeader</c>), and then acts with
/// every role. An operator key (<c>sk_op_…</c>, <see cref="OperatorKeys"/>) is checked against the configured hashes and
/// acts, with the operator role only, on the tenant its <c>Tenant-Id</c> header names.
/// </summary>
public sealed class HeaderPrincipalResolver(TrustedHeaderMode trusted, ApiKeyAuthenticator keys, OperatorKeys operators) : IPrincipalResolver
{
    /// <summary>Principal id recorded for calls identified by the trusted header.</summary>
    public const string TrustedHeaderPrincipalId = "tenant-header";

    private const string BearerScheme = "Bearer ";

    /// <inheritdoc />
    public async ValueTask<Principal?> ResolveAsync(Metadata headers, CancellationToken cancellationToken)
    {
        if (RequestFields.Header(headers, "authorization") is { } value)
        {
            // Never fall back to the Tenant-Id header when a key was sent but is bad: that would turn a revoked
            // key plus a header into access.
            if (!value.StartsWith(BearerScheme, StringComparison.OrdinalIgnoreCase))
            {
                throw new UnauthenticatedException("Authorization must be 'Bearer sk_live_…'.");
            }

            var token = value[BearerScheme.Length..].Trim();
            if (OperatorKeys.LooksLikeKey(token))
            {
                // The operator's key names the tenant it acts on; its only role is raising plans.
                return operators.Authenticate(token, RequestFields.Header(headers, "tenant-id") ?? "")
                    ?? throw new UnauthenticatedException("The operator key is not valid.");
            }

            return await keys.AuthenticateAsync(token, cancellationToken)
                ?? throw new UnauthenticatedException("The API key is not valid or has been revoked.");
        }

        var tenant = RequestFields.Header(headers, "tenant-id") ?? "";
        if (tenant.Length == 0)
        {
            return null;
        }

        if (!trusted.Enabled)
        {
            throw new UnauthenticatedException("The Tenant-Id header is not trusted by this server; send an API key.");
        }

        return new Principal(TenantIds.Validate(tenant), TrustedHeaderPrincipalId, Roles.All);
    }
}
