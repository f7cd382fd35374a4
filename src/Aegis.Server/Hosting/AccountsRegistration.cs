using System.Globalization;
using System.Threading.RateLimiting;
using Aegis.Core.Accounts;
using Aegis.Core.Billing;
using Aegis.Server.Grpc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

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

        builder.Services.AddOptions<OperatorOptions>()
            .BindConfiguration($"{AegisOptions.Section}:Operator")
            .Validate(o => o.Keys.All(OperatorKeys.IsHash), "Aegis:Operator:Keys holds SHA-256 hashes of the operator keys: 64 hex digits each.")
            .ValidateOnStart();
        builder.Services.AddSingleton(sp => new OperatorKeys(sp.GetRequiredService<IOptions<OperatorOptions>>().Value.Keys.Where(OperatorKeys.IsHash)));

        builder.Services.AddOptions<StripeOptions>()
            .BindConfiguration($"{AegisOptions.Section}:Billing:Stripe")
            .ValidateDataAnnotations()
            .Validate(o => o.Prices.Values.All(p => plans.Find(p) is not null), "Aegis:Billing:Stripe:Prices maps a price to a plan that is not configured.")
            .ValidateOnStart();
        builder.Services.AddSingleton(sp =>
        {
            var stripe = sp.GetRequiredService<IOptions<StripeOptions>>().Value;
            return new StripeSettings(string.IsNullOrEmpty(stripe.WebhookSecret) ? null : stripe.WebhookSecret, stripe.Prices, TimeSpan.FromSeconds(stripe.ToleranceSeconds));
        });
        builder.Services.AddSingleton<PaymentEventService>();

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
