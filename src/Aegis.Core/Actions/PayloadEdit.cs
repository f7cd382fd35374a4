namespace Aegis.Core.Actions;

/// <summary>
/// A reviewer's edit of a PENDING action's payload (ApproveWithEdits). The action's payload is the edited one; this
/// keeps what the agent first asked for and the RFC 6902 patch from it, so the audit trail shows both.
/// </summary>
/// <param name="OriginalPayloadJson">The payload the agent sent (kept across later edits).</param>
/// <param name="PatchJson">The RFC 6902 JSON Patch from the original payload to the current one.</param>
/// <param name="EditedBy">Who made the (last) edit.</param>
/// <param name="EditedAt">When.</param>
/// <param name="Comment">The editor's comment, if any.</param>
public sealed record PayloadEdit(string OriginalPayloadJson, string PatchJson, string EditedBy, DateTimeOffset EditedAt, string? Comment);
