using System.Diagnostics.Tracing;

namespace Baton.Bench;

/// <summary>
/// Profiling aid (BATON_BENCH_ALLOCS=1): samples allocations by type through the runtime's own
/// allocation ticks (one per ~100 KB allocated) and prints the top types to stderr when disposed.
/// </summary>
public sealed class AllocationSampler : EventListener
{
    private readonly Dictionary<string, long> _bytesByType = [];
    private volatile bool _on;

    public static AllocationSampler? StartIfAsked() =>
        Environment.GetEnvironmentVariable("BATON_BENCH_ALLOCS") == "1" ? new AllocationSampler { _on = true } : null;

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
            EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x1);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (
            !_on
            || e.EventName is null
            || !e.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal)
            || e.Payload is null
        )
            return;
        var type = e.PayloadNames!.IndexOf("TypeName") is var i and >= 0 ? e.Payload[i] as string ?? "?" : "?";
        var amount = e.PayloadNames.IndexOf("AllocationAmount64") is var j and >= 0
            ? Convert.ToInt64(e.Payload[j])
            : 100_000;
        lock (_bytesByType)
            _bytesByType[type] = _bytesByType.GetValueOrDefault(type) + amount;
    }

    public override void Dispose()
    {
        _on = false;
        lock (_bytesByType)
        {
            var total = _bytesByType.Values.Sum();
            Console.Error.WriteLine($"allocation samples: {total / 1048576.0:F1} MB");
            foreach (var (type, bytes) in _bytesByType.OrderByDescending(kv => kv.Value).Take(40))
                Console.Error.WriteLine($"{100.0 * bytes / total, 5:F1}%  {type}");
        }
        base.Dispose();
    }
}
