using System.Collections.Concurrent;

namespace Baton.Costs;

/// <summary>
/// SPEC §6 / issue 5: before an LLM call is sent it reserves its worst case — the prompt's tokens plus
/// <see cref="WorstCaseOutputTokens"/> at the model's dated price — and the reservation is released
/// when the call has been priced into the ledger. A call that would take month-to-date spend plus
/// every open reservation past the budget is refused, so parallel calls cannot jointly overshoot.
/// Reservations are per process (the server, or one `baton run`).
/// </summary>
public static class BudgetReservations
{
    /// <summary>The output a call is assumed to produce at most, for the reservation only (the call itself is not capped).</summary>
    public const int WorstCaseOutputTokens = 4096;

    private static readonly ConcurrentDictionary<string, decimal> Open = new(StringComparer.Ordinal);

    /// <returns>A lease to dispose once the call is priced, or null with the reason the call must not be made.</returns>
    public static IDisposable? TryReserve(
        string workspaceRoot,
        decimal budget,
        decimal monthToDate,
        decimal worstCase,
        out string? refusal
    )
    {
        refusal = null;
        while (true)
        {
            var reserved = Open.GetOrAdd(workspaceRoot, 0m);
            if (monthToDate + reserved + worstCase > budget)
            {
                refusal =
                    $"this call could cost up to ${worstCase:0.####}; with ${monthToDate:0.####} spent this month and ${reserved:0.####} reserved by calls in flight, "
                    + $"it would pass the workspace's monthly budget of ${budget:0.##}";
                return null;
            }
            if (Open.TryUpdate(workspaceRoot, reserved + worstCase, reserved))
                return new Lease(workspaceRoot, worstCase);
        }
    }

    public static decimal Reserved(string workspaceRoot) => Open.GetValueOrDefault(workspaceRoot);

    private sealed class Lease(string workspaceRoot, decimal amount) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
                Open.AddOrUpdate(workspaceRoot, 0m, (_, v) => Math.Max(0m, v - amount));
        }
    }
}
