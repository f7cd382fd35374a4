using Aegis.Client;

namespace Aegis.Examples.Worker;

/// <summary>
/// Sends each configured invoice exactly once: the send runs under <see cref="AegisClient.GuardAsync{T}"/> with the
/// invoice's id as the idempotency key, so a restarted worker (or a second replica) gets the stored receipt back
/// instead of sending again. Stops the host when the batch is done.
/// </summary>
public sealed class InvoiceWorker(AegisClient aegis, IConfiguration configuration, IHostApplicationLifetime lifetime) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var outbox = configuration["Invoices:Outbox"] ?? "outbox.txt";
        var ids = (configuration["Invoices:Ids"] ?? "1").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var id in ids)
        {
            var sentNow = false;
            var receipt = await aegis.GuardAsync(
                $"invoice-{id}",
                async (attempt, ct) =>
                {
                    await File.AppendAllTextAsync(outbox, $"invoice {id}\n", ct);
                    sentNow = true;
                    return new Receipt($"r-{id}", attempt.FencingToken);
                },
                new GuardOptions { PayloadJson = $$"""{"invoice": "{{id}}"}""", RequireApproval = false },
                stoppingToken);
            Console.WriteLine($"invoice {id}: receipt {receipt.Id} ({(sentNow ? "sent now" : "already sent")})");
        }

        lifetime.StopApplication();
    }

    private sealed record Receipt(string Id, long FencingToken);
}
