namespace Aegis.Testing;

/// <summary>Bounded waiting for a condition that another thread or process makes true (never an open-ended sleep).</summary>
public static class Eventually
{
    /// <summary>Returns once <paramref name="condition"/> holds; fails the test after <paramref name="timeout"/>.</summary>
    public static async Task TrueAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var until = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"Not true within {timeout}: {what}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Returns once the asynchronous <paramref name="condition"/> holds; fails the test after <paramref name="timeout"/>.</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var until = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"Not true within {timeout}: {what}");
            }

            await Task.Delay(20);
        }
    }
}
