namespace Aegis.Core.Accounts;

/// <summary>A newly issued key: its record and, this once, the key in clear.</summary>
/// <param name="Key">The stored record (hash only).</param>
/// <param name="ClearKey">The key in clear; never stored.</param>
public sealed record IssuedKey(ApiKeyRecord Key, string ClearKey);
