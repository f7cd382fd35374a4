using System.Net;
using Aegis.Core.Actions;
using Aegis.Core.Links;
using Aegis.Core.Ports;
using Aegis.Core.Webhooks;
using Microsoft.Extensions.Options;

namespace Aegis.Server.Webhooks;

/// <summary>Registers webhooks (endpoints, relay, address policy) and one-click decision links.</summary>
public static class WebhooksRegistration
{
    /// <summary>Adds the options (validated at start), Core's webhook and link services, the sender and the relay worker.</summary>
    public static WebApplicationBuilder AddAegisWebhooks(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<WebhookOptions>()
            .BindConfiguration(WebhookOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.ServerKey is null || ServerKeyBytes(o.ServerKey) is not null, "Aegis:Webhooks:ServerKey must be base64 of at least 32 bytes.")
            .Validate(o => o.AllowedNetworks.All(n => IPNetwork.TryParse(n, out _)), "Aegis:Webhooks:AllowedNetworks holds networks in CIDR form, e.g. 10.1.0.0/16.")
            .Validate(o => o.MaxBackoffSeconds >= o.InitialBackoffSeconds, "Aegis:Webhooks:MaxBackoffSeconds must not be below InitialBackoffSeconds.")
            .ValidateOnStart();
        services.AddOptions<LinkOptions>()
            .BindConfiguration(LinkOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.BaseUrl is null || (Uri.TryCreate(o.BaseUrl, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps)), "Aegis:Links:BaseUrl must be an absolute http(s) URL.")
            .Validate(o => o.MaxTtlMinutes >= o.DefaultTtlMinutes, "Aegis:Links:MaxTtlMinutes must not be below DefaultTtlMinutes.")
            .ValidateOnStart();

        services.AddSingleton(sp => new ServerKeys(
            ServerKeyBytes(sp.GetRequiredService<IOptions<WebhookOptions>>().Value.ServerKey), sp.GetRequiredService<IServerKeyStore>()));
        services.AddSingleton<WebhookSecrets>();
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<WebhookOptions>>().Value;
            return new WebhookAddressPolicy(o.AllowPrivateAddresses, [.. o.AllowedNetworks.Select(n => IPNetwork.Parse(n))]);
        });
        services.AddSingleton(sp => new WebhookUrlGuard(sp.GetRequiredService<WebhookAddressPolicy>(), (host, ct) => Dns.GetHostAddressesAsync(host, ct)));
        services.AddSingleton<WebhookService>();
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<WebhookOptions>>().Value;
            return new WebhookSettings(
                TimeSpan.FromSeconds(o.InitialBackoffSeconds),
                TimeSpan.FromSeconds(o.MaxBackoffSeconds),
                TimeSpan.FromHours(o.RetryWindowHours),
                // A claim outlives the longest attempt, so a live relay never loses its claim to another.
                TimeSpan.FromSeconds((o.TimeoutSeconds * 2) + 30),
                o.BatchSize);
        });
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<LinkOptions>>().Value;
            return new LinkSettings(
                o.BaseUrl is { } b ? new Uri(b) : null, TimeSpan.FromMinutes(o.DefaultTtlMinutes), TimeSpan.FromMinutes(o.MaxTtlMinutes));
        });
        services.AddSingleton<DecisionLinks>();
        services.AddSingleton<IWebhookSender, HttpWebhookSender>();
        services.AddSingleton<WebhookRelay>();
        services.AddSingleton<WebhookRelayWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookRelayWorker>());
        return builder;
    }

    /// <summary>Maps the WebhookService (and its REST routes) and the decision link pages.</summary>
    public static WebApplication MapAegisWebhooks(this WebApplication app)
    {
        app.MapGrpcService<WebhookGrpcService>();
        app.MapDecisionLinks();
        return app;
    }

    private static byte[]? ServerKeyBytes(string? base64)
    {
        if (string.IsNullOrWhiteSpace(base64))
        {
            return null;
        }

        try
        {
            var bytes = Convert.FromBase64String(base64);
            return bytes.Length >= ServerKeys.MinLength ? bytes : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
