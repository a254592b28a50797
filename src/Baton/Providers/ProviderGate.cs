using Baton.Runs;

namespace Baton.Providers;

/// <summary>
/// How many calls one provider endpoint has in flight, shared by every workspace of the process.
/// A call waiting for the model holds no agent slot (those govern processes); it holds one of
/// these instead: up to the provider's `max_concurrent_calls`, handed out by the same weighted
/// fair queue as agent slots, so one workspace's flood of calls delays another's first call by at
/// most one call. When the provider says to slow down (a 429's Retry-After, or x-ratelimit-*
/// headers saying nothing is left until a reset), no new call is sent until then.
/// </summary>
public sealed class ProviderGate(int capacity, TimeProvider time)
{
    private readonly AgentSlots _turns = new(capacity);
    private long _pausedUntilTicks;

    public int Capacity => _turns.Capacity;

    /// <summary>Calls holding a turn now: in flight, or about to be once a pause ends.</summary>
    public int InFlight => _turns.Active;

    /// <summary>Calls queued for a turn.</summary>
    public int Waiting => _turns.Waiting;

    /// <summary>When the provider allows the next call (UTC), or null when it does now.</summary>
    public DateTimeOffset? PausedUntil =>
        Interlocked.Read(ref _pausedUntilTicks) is var ticks && ticks > time.GetUtcNow().UtcTicks
            ? new DateTimeOffset(ticks, TimeSpan.Zero)
            : null;

    /// <summary>Waits for a turn (fairly across workspaces), then for any pause the provider asked for; dispose it when the reply is read.</summary>
    public async Task<IDisposable> EnterAsync(string workspace, CancellationToken cancellationToken)
    {
        var turn = await _turns.AcquireAsync(workspace, cancellationToken);
        try
        {
            while (PausedUntil is { } until)
                await Task.Delay(until - time.GetUtcNow(), time, cancellationToken);
            return turn;
        }
        catch
        {
            turn.Dispose();
            throw;
        }
    }

    /// <summary>No call is sent before <paramref name="until"/> (a later pause wins over an earlier one).</summary>
    public void PauseUntil(DateTimeOffset until)
    {
        var ticks = until.UtcTicks;
        for (var current = Interlocked.Read(ref _pausedUntilTicks); ticks > current; )
        {
            var seen = Interlocked.CompareExchange(ref _pausedUntilTicks, ticks, current);
            if (seen == current)
                return;
            current = seen;
        }
    }

    public void PauseFor(TimeSpan wait)
    {
        if (wait > TimeSpan.Zero)
            PauseUntil(time.GetUtcNow() + wait);
    }
}
