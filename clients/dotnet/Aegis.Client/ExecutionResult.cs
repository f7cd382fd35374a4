using Aegis.Hitl.V1;

namespace Aegis.Client;

/// <summary>What an <see cref="ExecutionGuard"/> run returns.</summary>
/// <param name="Outcome">Whether this call ran the side effect, or what was stored was returned.</param>
/// <param name="ResultJson">The stored result (exact JSON text) when executed or replayed.</param>
/// <param name="ErrorJson">The stored error when failed.</param>
/// <param name="Action">The action as the server returned it.</param>
public sealed record ExecutionResult(ExecutionOutcome Outcome, string? ResultJson, string? ErrorJson, Hitl.V1.Action Action);
