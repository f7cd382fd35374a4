using System.Buffers.Text;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Aegis.Core.Actions;
using Aegis.Core.Exceptions;
using Aegis.Core.Identity;
using Aegis.Core.Ports;

namespace Aegis.Core.Audit;

/// <summary>The audit use cases: list, export and verify a tenant's events. Reviewer and admin keys only.</summary>
public sealed class AuditService(IAuditStore store)
{
    /// <summary>Page size when none is asked for.</summary>
    public const int DefaultPageSize = 50;

    /// <summary>Largest page size.</summary>
    public const int MaxPageSize = 100;

    /// <summary>Events an export reads from the database at a time.</summary>
    public const int ExportChunk = 500;

    private const string TokenPrefix = "audit1:";

    /// <summary>One page of the caller's tenant's events matching the filters, newest first.</summary>
    /// <exception cref="PermissionDeniedException">The caller is neither reviewer nor admin (<c>ROLE_REQUIRED</c>).</exception>
    /// <exception cref="InvalidInputException">A malformed filter, page size or page token.</exception>
    public async Task<AuditPage> ListAsync(Principal principal, AuditQuery query, int pageSize, string? pageToken, CancellationToken cancellationToken)
    {
        RequireReader(principal);
        var q = Validate(query);
        var size = pageSize switch
        {
            0 => DefaultPageSize,
            < 0 or > MaxPageSize => throw new InvalidInputException("page_size", $"page_size must be 1 to {MaxPageSize} (0 for {DefaultPageSize})."),
            _ => pageSize,
        };
        var before = string.IsNullOrEmpty(pageToken) ? (long?)null : ParseToken(pageToken);
        var events = await store.ListAsync(principal.TenantId, q, before, size + 1, cancellationToken);
        return events.Count > size
            ? new AuditPage(events.Take(size).ToList(), Token(events[size - 1].Id))
            : new AuditPage(events, "");
    }

    /// <summary>
    /// Checks the caller and the filters, then returns every matching event of the caller's tenant, oldest first,
    /// read from the database a chunk at a time as the caller consumes them.
    /// </summary>
    /// <exception cref="PermissionDeniedException">The caller is neither reviewer nor admin (<c>ROLE_REQUIRED</c>).</exception>
    /// <exception cref="InvalidInputException">A malformed filter.</exception>
    public IAsyncEnumerable<AuditEventRecord> Export(Principal principal, AuditQuery query)
    {
        RequireReader(principal);
        return ExportAsync(principal.TenantId, Validate(query));
    }

    /// <summary>Recomputes the caller's tenant's chain (see <see cref="AuditChainVerifier"/>).</summary>
    /// <exception cref="PermissionDeniedException">The caller is neither reviewer nor admin (<c>ROLE_REQUIRED</c>).</exception>
    public async Task<AuditVerification> VerifyAsync(Principal principal, CancellationToken cancellationToken)
    {
        RequireReader(principal);
        var tenant = principal.TenantId;

        // Head first, then the rows: a sealer that commits meanwhile adds events past the head read, which the walk
        // would report as inserted — so a broken walk is believed only if the head did not move during it.
        for (var attempt = 1; ; attempt++)
        {
            var head = await store.FindHeadAsync(tenant, cancellationToken);
            var unsealed = await store.CountUnsealedAsync(tenant, cancellationToken);
            var result = await AuditChainVerifier.VerifyAsync(
                head, store.ReadChainAsync(tenant, cancellationToken), store.ReadCheckpointsAsync(tenant, cancellationToken), unsealed, cancellationToken);
            if (result.Ok || attempt == 3 || (await store.FindHeadAsync(tenant, cancellationToken)).LastSequence == head.LastSequence)
            {
                return result;
            }
        }
    }

    /// <summary>Throws unless the caller may read the audit log (reviewer or admin).</summary>
    public static void RequireReader(Principal principal)
    {
        if (!principal.Has(Roles.Reviewer) && !principal.Has(Roles.Admin))
        {
            throw new PermissionDeniedException("Reading the audit log needs a reviewer or admin key.", PermissionDeniedException.RoleRequired);
        }
    }

    private async IAsyncEnumerable<AuditEventRecord> ExportAsync(string tenantId, AuditQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var after = 0L;
        while (true)
        {
            var chunk = await store.ListForwardAsync(tenantId, query, after, ExportChunk, cancellationToken);
            foreach (var e in chunk)
            {
                yield return e;
            }

            if (chunk.Count < ExportChunk)
            {
                yield break;
            }

            after = chunk[^1].Id;
        }
    }

    private static AuditQuery Validate(AuditQuery q)
    {
        if (q.Since is { } since && q.Until is { } until && until < since)
        {
            throw new InvalidInputException("until", "until is before since.");
        }

        return q with
        {
            ThreadId = ActionInputs.OptionalText(q.ThreadId, "thread_id", 255),
            Actor = ActionInputs.OptionalText(q.Actor, "actor", 255),
            Kind = ActionInputs.OptionalText(q.Kind, "kind", 64),
        };
    }

    private static string Token(long id) =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes(TokenPrefix + id.ToString(CultureInfo.InvariantCulture)));

    private static long ParseToken(string token)
    {
        try
        {
            var text = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(token));
            if (text.StartsWith(TokenPrefix, StringComparison.Ordinal)
                && long.TryParse(text.AsSpan(TokenPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0)
            {
                return id;
            }
        }
        catch (FormatException)
        {
            // Not base64url: reported below like any other foreign token.
        }

        throw new InvalidInputException("page_token", "page_token is not one this server issued.");
    }
}
