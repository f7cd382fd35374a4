namespace Aegis.Core.Policies;

/// <summary>A policy as written by an admin: a name and rules, evaluated in order, first match wins.</summary>
/// <param name="Name">The policy's name (decisions record <c>name@version</c>).</param>
/// <param name="Rules">The rules, in evaluation order.</param>
public sealed record PolicyDocument(string Name, IReadOnlyList<PolicyRule> Rules);
