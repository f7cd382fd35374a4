namespace Aegis.Core.Accounts;

/// <summary>The role an API key is issued with; stored by name (<c>AGENT</c>, <c>REVIEWER</c>, <c>ADMIN</c>).</summary>
public enum KeyRole
{
    /// <summary>Create actions, watch and execute them; never decide.</summary>
    Agent,

    /// <summary>Decide actions.</summary>
    Reviewer,

    /// <summary>Everything, including keys and billing (the key Signup returns).</summary>
    Admin,
}
