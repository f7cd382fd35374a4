namespace Aegis.Core.Accounts;

/// <summary>What Signup returns: the account and its first key, the clear key shown this once.</summary>
/// <param name="Account">The new account.</param>
/// <param name="Key">The admin key's record.</param>
/// <param name="ClearKey">The key in clear; never stored.</param>
public sealed record SignupResult(AccountRecord Account, ApiKeyRecord Key, string ClearKey);
