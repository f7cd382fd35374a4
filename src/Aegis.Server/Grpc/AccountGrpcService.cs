using Aegis.Accounts.V1;
using Aegis.Core.Accounts;
using Aegis.Server.Identity;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.RateLimiting;
using CoreAccounts = Aegis.Core.Accounts.AccountService;

namespace Aegis.Server.Grpc;

/// <summary>The <c>aegis.accounts.v1.AccountService</c> edge: maps requests, calls Core, maps responses.</summary>
public sealed class AccountGrpcService(CoreAccounts accounts, CallerContext caller) : Accounts.V1.AccountService.AccountServiceBase
{
    /// <summary>Name of the rate-limiting policy on Signup (per client address).</summary>
    public const string SignupRateLimitPolicy = "signup";

    /// <summary>What Signup tells the new owner to do with the admin key it returns.</summary>
    public const string SignupNextSteps =
        "This is your tenant's admin key: keep it for yourself (keys, billing, deciding). Give each agent its own agent key, " +
        "created with POST /api/v1/accounts/keys {\"role\":\"API_KEY_ROLE_AGENT\"}: an agent key can request approval and execute, " +
        "but never approve its own actions. Reviewers get API_KEY_ROLE_REVIEWER keys.";

    /// <inheritdoc />
    [EnableRateLimiting(SignupRateLimitPolicy)]
    public override async Task<SignupResponse> Signup(SignupRequest request, ServerCallContext context)
    {
        var result = await accounts.SignupAsync(request.Email, context.CancellationToken);
        return new SignupResponse
        {
            TenantId = result.Account.TenantId,
            ApiKey = result.ClearKey,
            Key = ToProto(result.Key),
            Plan = result.Account.Plan,
            NextSteps = SignupNextSteps,
        };
    }

    /// <inheritdoc />
    public override async Task<CreateApiKeyResponse> CreateApiKey(CreateApiKeyRequest request, ServerCallContext context)
    {
        var principal = await caller.RequireAsync(context);
        KeyRole? role = request.Role switch
        {
            ApiKeyRole.Agent => KeyRole.Agent,
            ApiKeyRole.Reviewer => KeyRole.Reviewer,
            ApiKeyRole.Admin => KeyRole.Admin,
            _ => null,
        };
        var issued = await accounts.CreateKeyAsync(principal, role, request.Name, context.CancellationToken, request.Groups);
        return new CreateApiKeyResponse { ApiKey = issued.ClearKey, Key = ToProto(issued.Key) };
    }

    /// <inheritdoc />
    public override async Task<ListApiKeysResponse> ListApiKeys(ListApiKeysRequest request, ServerCallContext context)
    {
        var principal = await caller.RequireAsync(context);
        var keys = await accounts.ListKeysAsync(principal, context.CancellationToken);
        return new ListApiKeysResponse { Keys = { keys.Select(ToProto) } };
    }

    /// <inheritdoc />
    public override async Task<RevokeApiKeyResponse> RevokeApiKey(RevokeApiKeyRequest request, ServerCallContext context)
    {
        var principal = await caller.RequireAsync(context);
        var key = await accounts.RevokeKeyAsync(principal, request.KeyId, context.CancellationToken);
        return new RevokeApiKeyResponse { Key = ToProto(key) };
    }

    private static ApiKey ToProto(ApiKeyRecord k) => new()
    {
        KeyId = k.Id.ToString(),
        Name = k.Name,
        Role = k.Role switch
        {
            KeyRole.Admin => ApiKeyRole.Admin,
            KeyRole.Reviewer => ApiKeyRole.Reviewer,
            _ => ApiKeyRole.Agent,
        },
        Prefix = k.Prefix,
        CreatedAt = Timestamp.FromDateTimeOffset(k.CreatedAt),
        RevokedAt = k.RevokedAt is { } r ? Timestamp.FromDateTimeOffset(r) : null,
        Groups = { k.Groups },
    };
}
