using System.Text.Json;
using Aegis.Core.Actions;

namespace Aegis.Storage.Stores;

/// <summary>The <c>approvals</c> column: the approvals gathered so far as a JSON array (null when none).</summary>
public static class ApprovalsColumn
{
    private static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>The column value of <paramref name="approvals"/>.</summary>
    public static string? Write(IReadOnlyList<Approval> approvals) =>
        approvals.Count == 0 ? null : JsonSerializer.Serialize(approvals, Options);

    /// <summary>The approvals stored in <paramref name="json"/>.</summary>
    public static IReadOnlyList<Approval> Read(string? json) =>
        json is null ? [] : JsonSerializer.Deserialize<List<Approval>>(json, Options) ?? [];
}
