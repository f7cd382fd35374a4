namespace Aegis.FaultTests.Fuzzing;

/// <summary>One malformed request: where it goes, what is wrong with it, and how to send it.</summary>
/// <param name="Index">Its position in the seeded sequence (with the seed, enough to replay it).</param>
/// <param name="Category">What kind of malformation (wrong types, NUL characters, ...).</param>
/// <param name="Description">The request in short, for failure messages.</param>
/// <param name="SendAsync">Sends it and classifies the answer.</param>
public sealed record FuzzCase(int Index, string Category, string Description, Func<FuzzTarget, Task<FuzzOutcome>> SendAsync);
