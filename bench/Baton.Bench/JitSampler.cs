using System.Diagnostics.Tracing;

namespace Baton.Bench;

/// <summary>Profiling aid (BATON_BENCH_JIT=1): which methods the JIT compiled inside a clock, by tier and namespace, to stderr.</summary>
public sealed class JitSampler : EventListener
{
    private readonly List<string> _methods = [];
    private volatile bool _on;

    public static JitSampler? StartIfAsked() =>
        Environment.GetEnvironmentVariable("BATON_BENCH_JIT") == "1" ? new JitSampler { _on = true } : null;

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
            EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x10);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (
            !_on
            || e.EventName is null
            || !e.EventName.StartsWith("MethodLoadVerbose", StringComparison.Ordinal)
            || e.Payload is null
        )
            return;
        string Get(string name) =>
            e.PayloadNames!.IndexOf(name) is var i and >= 0 ? e.Payload![i]?.ToString() ?? "" : "";
        lock (_methods)
            _methods.Add($"{Get("OptimizationTier")}\t{Get("MethodNamespace")}::{Get("MethodName")}");
    }

    public override void Dispose()
    {
        _on = false;
        lock (_methods)
        {
            Console.Error.WriteLine($"methods compiled: {_methods.Count}");
            foreach (var group in _methods.GroupBy(m => m.Split('\t')[0]).OrderByDescending(g => g.Count()))
                Console.Error.WriteLine($"  tier {group.Key}: {group.Count()}");
            foreach (
                var group in _methods
                    .GroupBy(m => string.Join('.', m.Split('\t')[1].Split("::")[0].Split('.').Take(3)))
                    .OrderByDescending(g => g.Count())
                    .Take(25)
            )
                Console.Error.WriteLine($"  {group.Count(), 5}  {group.Key}");
            foreach (var m in _methods.Take(40))
                Console.Error.WriteLine($"    {m}");
        }
        base.Dispose();
    }
}
