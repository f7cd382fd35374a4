using Grpc.Net.Client;
using Grpc.Net.Client.Configuration;
using Grpc.Core;

namespace Aegis.Client;

/// <summary>The channel settings every Aegis client uses.</summary>
public static class AegisChannel
{
    /// <summary>
    /// A service config that retries every call failing with UNAVAILABLE (server restarting, database unreachable),
    /// with exponential backoff. Streams are retried only until their first message arrived; a watch that breaks
    /// later is reopened by <see cref="AegisClient.WatchAsync"/>.
    /// </summary>
    public static ServiceConfig ServiceConfig(int maxAttempts) => new()
    {
        MethodConfigs =
        {
            new MethodConfig
            {
                Names = { MethodName.Default },
                RetryPolicy = new RetryPolicy
                {
                    MaxAttempts = maxAttempts,
                    InitialBackoff = TimeSpan.FromMilliseconds(200),
                    MaxBackoff = TimeSpan.FromSeconds(5),
                    BackoffMultiplier = 2,
                    RetryableStatusCodes = { StatusCode.Unavailable },
                },
            },
        },
    };

    /// <summary>Applies the Aegis service config to channel options.</summary>
    public static void Configure(GrpcChannelOptions channel, AegisClientOptions options) =>
        channel.ServiceConfig = ServiceConfig(options.MaxAttempts);
}
