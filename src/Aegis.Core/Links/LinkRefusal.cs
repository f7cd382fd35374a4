namespace Aegis.Core.Links;

/// <summary>Why a decision link decides nothing.</summary>
public enum LinkRefusal
{
    /// <summary>Malformed, or its signature does not verify.</summary>
    Invalid,

    /// <summary>Past its expiry.</summary>
    Expired,

    /// <summary>Already used once.</summary>
    Used,

    /// <summary>The action's payload is no longer the one the link was minted for.</summary>
    PayloadChanged,

    /// <summary>The action is decided already (by someone else, a policy or its deadline).</summary>
    AlreadyDecided,

    /// <summary>The action's decision deadline has passed.</summary>
    DeadlinePassed,

    /// <summary>The action no longer exists (purged).</summary>
    NotFound,
}
