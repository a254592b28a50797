using System.CommandLine;
using Baton.Server.Hosting;
using Baton.Workspaces;

namespace Baton.Cli.Commands;

/// <summary>`baton serve --max-…`: the operator's ceilings over every workspace's limits (OperatorLimits).</summary>
internal sealed class OperatorLimitOptions
{
    private readonly Option<int?> _runs = new("--max-concurrent-runs")
    {
        Description = "Ceiling on any workspace's limits.max_concurrent_runs (and its value when unset)",
    };
    private readonly Option<int?> _parallel = new("--max-parallel-agents")
    {
        Description = "Ceiling on any workspace's limits.max_parallel_agents (and its value when unset)",
    };
    private readonly Option<int?> _processes = new("--max-agent-processes")
    {
        Description = "Ceiling on any workspace's limits.agent_processes",
    };
    private readonly Option<int> _defaultProcesses = new("--default-agent-processes")
    {
        Description = "An agent's processes when baton.yaml sets none",
        DefaultValueFactory = _ => 1024,
    };
    private readonly Option<string?> _memory = new("--max-agent-memory")
    {
        Description = "Ceiling on any workspace's limits.agent_memory (e.g. 4Gi)",
    };
    private readonly Option<string> _defaultMemory = new("--default-agent-memory")
    {
        Description = "An agent's memory when baton.yaml sets none",
        DefaultValueFactory = _ => "2Gi",
    };
    private readonly Option<decimal?> _monthly = new("--max-monthly-usd")
    {
        Description = "Ceiling on any workspace's budget.monthly_usd (and its budget when unset)",
    };

    public void AddTo(Command command)
    {
        foreach (
            var option in new Option[]
            {
                _runs,
                _parallel,
                _processes,
                _defaultProcesses,
                _memory,
                _defaultMemory,
                _monthly,
            }
        )
            command.Options.Add(option);
    }

    public OperatorLimits Read(ParseResult parse) =>
        new()
        {
            MaxConcurrentRuns = Positive(parse.GetValue(_runs), "--max-concurrent-runs"),
            MaxParallelAgents = Positive(parse.GetValue(_parallel), "--max-parallel-agents"),
            MaxAgentProcesses = Positive(parse.GetValue(_processes), "--max-agent-processes"),
            DefaultAgentProcesses = Positive(parse.GetValue(_defaultProcesses), "--default-agent-processes")!.Value,
            MaxAgentMemoryBytes = parse.GetValue(_memory) is { } max ? Memory(max, "--max-agent-memory") : null,
            DefaultAgentMemoryBytes = Memory(parse.GetValue(_defaultMemory)!, "--default-agent-memory"),
            MaxMonthlyUsd = parse.GetValue(_monthly) is { } usd
                ? (usd > 0 ? usd : throw new UsageException("--max-monthly-usd must be more than 0"))
                : null,
        };

    private static int? Positive(int? value, string name) =>
        value is null or > 0 ? value : throw new UsageException($"{name} must be at least 1");

    private static long Memory(string text, string name) =>
        WorkspaceConfig.TryParseMemory(text, out var bytes)
            ? bytes
            : throw new UsageException($"{name} must be a size like 512Mi, 2Gi or 500M, not '{text}'");
}
