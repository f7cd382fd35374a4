namespace Aegis.Core.Exceptions;

/// <summary>The caller is authenticated but its role may not do this. Maps to PERMISSION_DENIED (HTTP 403).</summary>
public sealed class PermissionDeniedException : AegisException
{
    /// <summary>The reason of a call that the caller's role may not make at all.</summary>
    public const string DefaultReason = "PERMISSION_DENIED";

    /// <summary>
    /// The reason of a call the caller may make, but not with an option that only a stronger role may choose (an
    /// agent asking for <c>on_timeout=APPROVE</c> or to execute without approval).
    /// </summary>
    public const string RoleRequired = "ROLE_REQUIRED";

    /// <summary>The reason of a plan change that would raise the tenant's limit, asked by the tenant itself.</summary>
    public const string UpgradeNotAllowed = "PLAN_UPGRADE_NOT_ALLOWED";

    /// <summary>The reason of a decision by a key outside the action's reviewer group.</summary>
    public const string GroupRequired = "REVIEWER_GROUP_REQUIRED";

    /// <summary>Creates the exception.</summary>
    public PermissionDeniedException(string message, string reason = DefaultReason)
        : base(reason, message)
    {
    }
}
