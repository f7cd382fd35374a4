using System.Globalization;
using System.Threading.RateLimiting;
using Aegis.Core.Accounts;
using Aegis.Core.Billing;
using Aegis.Server.Grpc;
using Microsoft.AspNetCore.RateLimiting;

namespace Aegis.Server.Hosting;

/// <summary>Registers accounts, API-key authentication, billing and the Signup rate limiter.</summary>
public static class AccountsRegistration
{
    /// <summary>Adds the plan catalog (from <c>Aegis:Billing</c>), the account and billing use cases, and the rate limiter.</summary>
    public static WebApplicationBuilder AddAegisAccounts(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<BillingOptions>().BindConfiguration($"{AegisOptions.Section}:Billing").ValidateOnStart();
        builder.Services.AddOptions<SignupRateLimitOptions>()
            .BindConfiguration($"{AegisOptions.Section}:Signup")
            .ValidateDataAnnotations()
            .ValidateOnStart();

        var billing = StartupChecks.Billing(builder.Configuration);
        var plans = new PlanCatalog(
            billing.Plans.Select(p => new Plan(p.Key, p.Value is > 0 ? p.Value : null)),
            billing.DefaultPlan,
            billing.SignupPlan);
        builder.Services.AddSingleton(plans);
        builder.Services.AddSingleton<ApiKeyAuthenticator>();
        builder.Services.AddSingleton<AccountService>();
        builder.Services.AddSingleton<BillingService>();

        var signup = builder.Configuration.GetSection($"{AegisOptions.Section}:Signup").Get<SignupRateLimitOptions>() ?? new SignupRateLimitOptions();
        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(AccountGrpcService.SignupRateLimitPolicy, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = signup.PermitLimit,
                    Window = TimeSpan.FromSeconds(signup.WindowSeconds),
                    QueueLimit = 0,
                }));
            o.OnRejected = async (context, cancellationToken) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    context.HttpContext.Response.Headers.RetryAfter = ((long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                }

                await context.HttpContext.Response.WriteAsJsonAsync(
                    new { code = 8, message = "Too many signups from this address; try again later.", reason = "RATE_LIMITED" },
                    cancellationToken);
            };
        });
        return builder;
    }
}
