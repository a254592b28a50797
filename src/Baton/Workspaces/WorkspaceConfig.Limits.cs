using System.Globalization;
using Baton.Chains;
using YamlDotNet.RepresentationModel;

namespace Baton.Workspaces;

public sealed partial record WorkspaceConfig
{
    private static readonly string[] LimitKeys =
    [
        "max_concurrent_runs",
        "max_parallel_agents",
        "agent_timeout",
        "agent_memory",
        "agent_processes",
    ];

    private static WorkspaceLimits ReadLimits(YamlReader read, YamlNode node)
    {
        var limits = new WorkspaceLimits();
        if (read.Map(node, "'limits'") is not { } map)
            return limits;
        foreach (var (key, name, v) in read.Entries(map, "'limits'"))
        {
            limits = name switch
            {
                "max_concurrent_runs" => limits with
                {
                    MaxConcurrentRuns = read.Int(v, "'limits.max_concurrent_runs'", 1, 100_000),
                },
                "max_parallel_agents" => limits with
                {
                    MaxParallelAgents = read.Int(v, "'limits.max_parallel_agents'", 1, 10_000),
                },
                "agent_timeout" => limits with { AgentTimeout = read.Duration(v, "'limits.agent_timeout'") },
                "agent_memory" => limits with { AgentMemoryBytes = Memory(read, v) },
                "agent_processes" => limits with
                {
                    AgentProcesses = read.Int(v, "'limits.agent_processes'", 1, 1_000_000),
                },
                _ => Unknown(read, key, limits),
            };
        }
        return limits;
    }

    private static WorkspaceLimits Unknown(YamlReader read, YamlScalarNode key, WorkspaceLimits limits)
    {
        read.UnknownKey(key, "'limits'", LimitKeys);
        return limits;
    }

    private static readonly (string Suffix, long Factor)[] MemoryUnits =
    [
        ("Ki", 1L << 10),
        ("Mi", 1L << 20),
        ("Gi", 1L << 30),
        ("Ti", 1L << 40),
        ("K", 1_000),
        ("M", 1_000_000),
        ("G", 1_000_000_000),
        ("T", 1_000_000_000_000),
    ];

    /// <summary>Kubernetes-style quantities (512Mi, 1Gi, 500M) or plain bytes, as people already write them.</summary>
    private static long? Memory(YamlReader read, YamlNode node)
    {
        if (read.Text(node, "'limits.agent_memory'") is not { } text)
            return null;
        if (TryParseMemory(text, out var bytes))
            return bytes;
        read.Errors.Add(node, $"'limits.agent_memory' must be a size like 512Mi, 2Gi or 500M, not '{text}'");
        return null;
    }

    /// <summary>512Mi, 2Gi, 500M or plain bytes (also for `baton serve --max-agent-memory`).</summary>
    public static bool TryParseMemory(string text, out long bytes)
    {
        var unit = Array.Find(MemoryUnits, u => text.EndsWith(u.Suffix, StringComparison.Ordinal));
        var (suffix, factor) = unit.Suffix is null ? ("", 1L) : unit;
        bytes = 0;
        if (
            !long.TryParse(
                text.AsSpan(0, text.Length - suffix.Length),
                NumberStyles.None,
                CultureInfo.InvariantCulture,
                out var number
            )
            || number <= 0
            || number > long.MaxValue / factor
        )
            return false;
        bytes = number * factor;
        return true;
    }
}

/// <summary>baton.yaml `limits:` (SPEC §1, §6). Null means "no limit set".</summary>
public sealed record WorkspaceLimits
{
    public int? MaxConcurrentRuns { get; init; }
    public int? MaxParallelAgents { get; init; }
    public TimeSpan? AgentTimeout { get; init; }
    public long? AgentMemoryBytes { get; init; }

    /// <summary>Processes (and threads) one agent may have at once: pids.max, or RLIMIT_NPROC without cgroups.</summary>
    public int? AgentProcesses { get; init; }
}
