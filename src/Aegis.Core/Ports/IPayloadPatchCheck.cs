namespace Aegis.Core.Ports;

/// <summary>
/// Checks that a computed RFC 6902 patch, applied by an independent JSON Patch implementation, turns the original
/// payload into the edited one — so the stored patch is one any client can replay.
/// </summary>
public interface IPayloadPatchCheck
{
    /// <summary>
    /// Whether <paramref name="patchJson"/> applied to <paramref name="originalJson"/> gives <paramref name="editedJson"/>;
    /// null when the implementation cannot apply this (valid) patch at all, e.g. a path through an empty member name.
    /// </summary>
    bool? Reproduces(string originalJson, string patchJson, string editedJson);
}
