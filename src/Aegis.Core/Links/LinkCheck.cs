using Aegis.Core.Actions;

namespace Aegis.Core.Links;

/// <summary>A link as inspected or used: the action it decides (or decided), or why it decides nothing.</summary>
/// <param name="Link">The link, when its signature verified.</param>
/// <param name="Action">The action, when found.</param>
/// <param name="Refusal">Why the link decides nothing, or null when it can (inspect) or did (confirm).</param>
public sealed record LinkCheck(DecisionLink? Link, ActionRecord? Action, LinkRefusal? Refusal)
{
    /// <summary>A human sentence for <see cref="Refusal"/>.</summary>
    public string? Explanation => Refusal switch
    {
        LinkRefusal.Invalid => "This link is not valid: it is malformed or its signature does not verify.",
        LinkRefusal.Expired => "This link has expired.",
        LinkRefusal.Used => "This link has already been used. A link decides once.",
        LinkRefusal.PayloadChanged => "The action's payload changed after this link was made, so it cannot decide it.",
        LinkRefusal.AlreadyDecided => "This action has already been decided.",
        LinkRefusal.DeadlinePassed => "The action's decision deadline has passed.",
        LinkRefusal.NotFound => "This action no longer exists.",
        _ => null,
    };
}
