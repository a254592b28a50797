namespace Baton.Server.Hosting;

/// <summary>
/// Gives memory back once the server goes quiet after a burst. A burst of runs leaves its garbage
/// in the GC heap (the gen0 budget is sized from the CPU cache, tens of MB), and a server that then
/// only holds paused runs allocates too little for a collection ever to come: W3S held ~40 MB over
/// idle for 1,000 paused runs that need ~2 MB. So when the last active run ends, and at least
/// <see cref="MinAllocated"/> was allocated since the last such collection, one compacting,
/// memory-returning collection is made after <see cref="Delay"/> of quiet (a run started meanwhile
/// postpones it to the next quiet moment). A steady trickle of small runs allocates too little to
/// trigger it often.
/// </summary>
/// <param name="allocated">Bytes allocated so far by the process (tests pass their own count).</param>
public sealed class QuietCollector(TimeProvider time, Func<long>? allocated = null)
{
    public static readonly TimeSpan Delay = TimeSpan.FromSeconds(1);
    public const long MinAllocated = 8L << 20;

    private readonly Lock _lock = new();
    private ITimer? _timer;
    private readonly Func<long> _allocated = allocated ?? (() => GC.GetTotalAllocatedBytes());
    private long _allocatedAtLastCollection;

    /// <summary>Collections made so far (for tests and metrics).</summary>
    public int Collections { get; private set; }

    /// <summary>Called when the number of active runs reached zero.</summary>
    public void Quiet(Func<bool> stillQuiet)
    {
        if (_allocated() - _allocatedAtLastCollection < MinAllocated)
            return;
        lock (_lock)
        {
            _timer?.Dispose();
            _timer = time.CreateTimer(_ => Collect(stillQuiet), null, Delay, Timeout.InfiniteTimeSpan);
        }
    }

    private void Collect(Func<bool> stillQuiet)
    {
        lock (_lock)
        {
            _timer?.Dispose();
            _timer = null;
            if (!stillQuiet())
                return; // busy again: the run that ends last calls Quiet again
            _allocatedAtLastCollection = _allocated();
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            Collections++;
        }
    }
}
