using Aegis.Core.Actions;
using Aegis.Core.Exceptions;
using Aegis.Core.Identity;
using Aegis.Core.Ports;

namespace Aegis.Core.Mcp;

/// <summary>
/// Registration of upstream MCP servers (admin only, audited as <c>mcp_upstream.created</c>) and their lookup for the
/// gating proxy. The auth header is protected before it is stored and never written to the audit log.
/// </summary>
public sealed class McpUpstreamService(IMcpUpstreamStore store, ISecretProtector protector, McpGateSettings settings, TimeProvider time)
{
    /// <summary>The gated-tools entry that gates every tool of the upstream.</summary>
    public const string AllTools = "*";

    /// <summary>Longest accepted upstream name.</summary>
    public const int MaxNameLength = 64;

    /// <summary>Longest accepted tool name.</summary>
    public const int MaxToolNameLength = 128;

    /// <summary>Most gated tools per upstream.</summary>
    public const int MaxGatedTools = 256;

    /// <summary>Longest accepted URL or auth header.</summary>
    public const int MaxUrlLength = 2048;

    /// <summary>Registers an upstream for the caller's tenant.</summary>
    /// <exception cref="PermissionDeniedException">The caller is not an admin.</exception>
    /// <exception cref="InvalidInputException">A bad name, URL, auth header, tool name or timeout, or a host not allowed (<c>UPSTREAM_HOST_NOT_ALLOWED</c>).</exception>
    /// <exception cref="McpUpstreamExistsException">The tenant already has that name; nothing changed.</exception>
    public async Task<McpUpstreamRecord> RegisterAsync(Principal principal, RegisterUpstreamCommand command, CancellationToken cancellationToken)
    {
        principal.Require(Roles.Admin, "Registering an upstream MCP server needs the admin role.");
        var name = Name(command.Name);
        var url = Url(command.Url);
        if (!settings.Allows(url))
        {
            throw new InvalidInputException("url", $"Upstream host '{url.Host}' is not in this server's Aegis:Mcp:AllowedHosts.", "UPSTREAM_HOST_NOT_ALLOWED");
        }

        var auth = ActionInputs.OptionalText(command.AuthHeader, "auth_header", MaxUrlLength);
        if (auth is not null && auth.Any(char.IsControl))
        {
            throw new InvalidInputException("auth_header", "auth_header must not contain control characters.");
        }

        var gated = GatedTools(command.GatedTools);
        var timeout = command.DecisionTimeout ?? settings.DefaultDecisionTimeout;
        if (timeout < TimeSpan.FromSeconds(1) || timeout > ApprovalService.MaxTimeout)
        {
            throw new InvalidInputException("decision_timeout", $"decision_timeout must be between 1 s and {ApprovalService.MaxTimeout.TotalDays:0} days.");
        }

        var record = new McpUpstreamRecord
        {
            Id = Guid.CreateVersion7(),
            TenantId = principal.TenantId,
            Name = name,
            Url = url,
            ProtectedAuthHeader = auth is null ? null : protector.Protect(auth),
            GatedTools = gated,
            DecisionTimeout = timeout,
            CreatedAt = Clock.Now(time),
            CreatedBy = principal.Id,
        };
        var audit = AuditEntry.Of("mcp_upstream.created", principal.Id, new Dictionary<string, object?>
        {
            ["name"] = name,
            ["url"] = url.ToString(),
            ["auth_header_set"] = auth is not null,
            ["gated_tools"] = gated,
            ["decision_timeout_seconds"] = timeout.TotalSeconds,
        });
        return await store.InsertAsync(record, audit, cancellationToken) ? record : throw new McpUpstreamExistsException(name);
    }

    /// <summary>The caller's tenant's upstreams (never their auth headers). Admin only.</summary>
    /// <exception cref="PermissionDeniedException">The caller is not an admin.</exception>
    public Task<IReadOnlyList<McpUpstreamRecord>> ListAsync(Principal principal, CancellationToken cancellationToken)
    {
        principal.Require(Roles.Admin, "Listing upstream MCP servers needs the admin role.");
        return store.ListAsync(principal.TenantId, cancellationToken);
    }

    /// <summary>The upstream an agent calls through the proxy, with its auth header decrypted for this call.</summary>
    /// <exception cref="PermissionDeniedException">The caller lacks the agent role.</exception>
    /// <exception cref="McpUpstreamNotFoundException">No such upstream in the caller's tenant.</exception>
    /// <exception cref="PermissionDeniedException">Not an agent, or the upstream's host is no longer allowed (<c>UPSTREAM_HOST_NOT_ALLOWED</c>).</exception>
    public async Task<McpUpstream> ResolveAsync(Principal principal, string? name, CancellationToken cancellationToken)
    {
        principal.Require(Roles.Agent, "Calling tools through the MCP proxy needs the agent role.");
        var record = await store.FindAsync(principal.TenantId, name ?? "", cancellationToken) ?? throw new McpUpstreamNotFoundException(name ?? "");
        if (!settings.Allows(record.Url))
        {
            // Registered before the allow-list was narrowed: not called any more.
            throw new PermissionDeniedException($"Upstream host '{record.Url.Host}' is no longer in this server's Aegis:Mcp:AllowedHosts.", "UPSTREAM_HOST_NOT_ALLOWED");
        }

        return new McpUpstream(record, record.ProtectedAuthHeader is null ? null : protector.Unprotect(record.ProtectedAuthHeader));
    }

    /// <summary>Audits an ungated tool call the proxy forwarded (<c>mcp.tool_forwarded</c>): not an action, not billed.</summary>
    public Task RecordForwardedAsync(Principal principal, McpUpstreamRecord upstream, string tool, string argumentsHash, bool isError, CancellationToken cancellationToken) =>
        store.RecordAsync(principal.TenantId, AuditEntry.Of("mcp.tool_forwarded", principal.Id, new Dictionary<string, object?>
        {
            ["server"] = upstream.Name,
            ["tool"] = tool,
            ["arguments_hash"] = argumentsHash,
            ["gated"] = false,
            ["is_error"] = isError,
        }), cancellationToken);

    private static string Name(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxNameLength ||
            !char.IsAsciiLetterOrDigit(name[0]) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw new InvalidInputException("name", $"name must be 1 to {MaxNameLength} letters, digits, '-' or '_', starting with a letter or digit.");
        }

        return name;
    }

    private static Uri Url(string? url)
    {
        if (string.IsNullOrEmpty(url) || url.Length > MaxUrlLength ||
            !Uri.TryCreate(url, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(parsed.UserInfo))
        {
            throw new InvalidInputException("url", "url must be an absolute http or https URL without credentials (send those as auth_header).");
        }

        return parsed;
    }

    private static string[] GatedTools(IReadOnlyList<string> tools)
    {
        if (tools.Count > MaxGatedTools)
        {
            throw new InvalidInputException("gated_tools", $"At most {MaxGatedTools} gated tools are accepted.");
        }

        foreach (var tool in tools)
        {
            if (string.IsNullOrEmpty(tool) || tool.Length > MaxToolNameLength || tool.Any(char.IsControl) || tool.Any(char.IsWhiteSpace))
            {
                throw new InvalidInputException("gated_tools", $"A gated tool name must be 1 to {MaxToolNameLength} characters without spaces or control characters.");
            }
        }

        return tools.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
    }
}
