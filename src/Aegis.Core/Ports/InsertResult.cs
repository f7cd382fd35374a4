using Aegis.Core.Actions;

namespace Aegis.Core.Ports;

/// <summary>The outcome of an insert that loses to an existing row with the same (tenant, key).</summary>
/// <param name="Created">True when this call created the action; false when one already existed.</param>
/// <param name="Action">The action as stored: the new one, or the one that was there first.</param>
public sealed record InsertResult(bool Created, ActionRecord Action);
