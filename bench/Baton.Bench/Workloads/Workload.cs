namespace Baton.Bench;

/// <summary>One SPEC §7 workload, run inside its own child process so its peak RSS is its own.</summary>
public abstract class Workload
{
    public abstract string Name { get; }
    public abstract string Title { get; }

    /// <summary>Runs the workload once and returns its measurements (metric → value).</summary>
    public abstract Task<Dictionary<string, double?>> RunAsync(ChildOptions options);
}

public static class Workloads
{
    public static IReadOnlyList<Workload> All { get; } =
    [
        new W1Handoff(),
        new W1RealHandoff(),
        new W2Concurrency(),
        new W2Serve(),
        new W2Serve(tls: true),
        new W3Paused(),
        new W3Serve(),
        new W4ColdStart(),
        new W5BashAgents(),
        new W6EventThroughput(),
        new W7Validate(),
    ];

    public static Workload? Find(string name) =>
        All.FirstOrDefault(w => string.Equals(w.Name, name, StringComparison.OrdinalIgnoreCase));
}
