using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using Aegis.Client;
using Aegis.Client.Exceptions;
using Aegis.Hitl.V1;
using Google.Protobuf;
using Microsoft.Extensions.DependencyInjection;

namespace Aegis.Server.Tests.Client;

/// <summary>
/// What <c>AddAegisClient</c> puts on the channel, seen from the wire: a scripted HTTP/2 handler answers UNAVAILABLE a
/// number of times before it answers, and records the headers of every attempt.
/// </summary>
public sealed class AegisClientRetryTests
{
    [Fact]
    public async Task Unavailable_is_retried_by_the_service_config_with_credentials_and_one_request_id_per_call()
    {
        var handler = new ScriptedHandler(unavailable: 2);
        using var services = Services(handler, maxAttempts: 4);
        var client = services.GetRequiredService<AegisClient>();

        var action = await client.GetStatusAsync("r-1");
        await client.GetStatusAsync("r-2");

        Assert.Equal(ActionState.Approved, action.State);
        Assert.Equal(4, handler.Attempts.Count); // two UNAVAILABLE and the answer, then the second call
        Assert.All(handler.Attempts, a => Assert.Equal("Bearer sk_live_test", a["authorization"]));
        Assert.Single(handler.Attempts.Take(3).Select(a => a["x-request-id"]).Distinct());
        Assert.NotEqual(handler.Attempts[0]["x-request-id"], handler.Attempts[3]["x-request-id"]);
    }

    [Fact]
    public async Task Unavailable_beyond_the_attempts_is_a_typed_exception()
    {
        var handler = new ScriptedHandler(unavailable: 100);
        using var services = Services(handler, maxAttempts: 2);

        await Assert.ThrowsAsync<AegisUnavailableException>(() => services.GetRequiredService<AegisClient>().GetStatusAsync("r-1"));

        Assert.Equal(2, handler.Attempts.Count);
    }

    private static ServiceProvider Services(ScriptedHandler handler, int maxAttempts) =>
        new ServiceCollection()
            .AddLogging()
            .AddAegisClient(o =>
            {
                o.Address = new Uri("http://aegis.test");
                o.ApiKey = "sk_live_test";
                o.MaxAttempts = maxAttempts;
            })
            .ConfigurePrimaryHttpMessageHandler(() => handler)
            .Services.BuildServiceProvider();

    /// <summary>Answers gRPC calls: UNAVAILABLE (trailers-only) the first <c>unavailable</c> times, then an APPROVED action.</summary>
    private sealed class ScriptedHandler(int unavailable) : HttpMessageHandler
    {
        public List<Dictionary<string, string>> Attempts { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (Attempts)
            {
                Attempts.Add(request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase));
            }

            var response = new HttpResponseMessage(HttpStatusCode.OK) { Version = HttpVersion.Version20 };
            if (Attempts.Count <= unavailable)
            {
                response.Content = new ByteArrayContent([]);
                response.Headers.Add("grpc-status", "14");
                response.Headers.Add("grpc-message", "restarting");
            }
            else
            {
                var message = new GetStatusResponse { Action = new Aegis.Hitl.V1.Action { RequestId = "r", State = ActionState.Approved } }.ToByteArray();
                var frame = new byte[5 + message.Length];
                BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)message.Length);
                message.CopyTo(frame, 5);
                response.Content = new ByteArrayContent(frame);
                response.TrailingHeaders.Add("grpc-status", "0");
            }

            response.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
            return Task.FromResult(response);
        }
    }
}
