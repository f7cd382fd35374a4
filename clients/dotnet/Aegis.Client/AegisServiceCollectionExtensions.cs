using Aegis.Hitl.V1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Aegis.Client;

/// <summary>Registers <see cref="AegisClient"/> for dependency injection.</summary>
public static class AegisServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="AegisClient"/> (and the generated <see cref="HitlService.HitlServiceClient"/>) through the gRPC
    /// client factory: the retry policy on UNAVAILABLE, and credentials plus request ids on every call. The options are
    /// validated when the host starts: <c>services.AddAegisClient(o =&gt; { o.Address = new Uri("http://localhost:8001"); o.TenantId = "acme"; })</c>.
    /// </summary>
    public static IHttpClientBuilder AddAegisClient(this IServiceCollection services, Action<AegisClientOptions> configure)
    {
        services.AddOptions<AegisClientOptions>()
            .Configure(configure)
            .ValidateDataAnnotations()
            .Validate(o => !string.IsNullOrEmpty(o.ApiKey) || !string.IsNullOrEmpty(o.TenantId), "AegisClientOptions needs an ApiKey or a TenantId.")
            .ValidateOnStart();
        services.AddTransient(sp => new AegisClient(
            sp.GetRequiredService<HitlService.HitlServiceClient>(), sp.GetRequiredService<IOptions<AegisClientOptions>>().Value));
        return services
            .AddGrpcClient<HitlService.HitlServiceClient>((sp, o) => o.Address = sp.GetRequiredService<IOptions<AegisClientOptions>>().Value.Address)
            .ConfigureChannel((sp, channel) => AegisChannel.Configure(channel, sp.GetRequiredService<IOptions<AegisClientOptions>>().Value))
            .AddInterceptor(sp => new AegisCallInterceptor(sp.GetRequiredService<IOptions<AegisClientOptions>>().Value));
    }
}
