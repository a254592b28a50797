using System.Text.Json;
using System.Text.Json.Serialization;
using Baton.Events;

namespace Baton.Runs;

/// <summary>What `baton show --json` and GET .../runs/{id} answer (SPEC §4), built from the run's files only.</summary>
public sealed record RunSummary(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("chain")] string? Chain,
    [property: JsonPropertyName("status")] RunStatus Status,
    [property: JsonPropertyName("reason")] string? Reason,
    [property: JsonPropertyName("started")] DateTimeOffset? Started,
    [property: JsonPropertyName("finished")] DateTimeOffset? Finished,
    [property: JsonPropertyName("cost_usd")] decimal CostUsd,
    [property: JsonPropertyName("agents")] IReadOnlyDictionary<string, AgentSummary> Agents
)
{
    /// <summary>Set by a host whose engine can't write the run's events (e.g. "disk full: …"); the files can't say so.</summary>
    [JsonPropertyName("stalled")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Stalled { get; init; }

    /// <summary>Passed over all quality checks of the agents' latest attempts, weighted (docs/monitoring.md); absent without checks.</summary>
    [JsonPropertyName("quality_score")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? QualityScore { get; init; }

    /// <summary>Checks that failed as warnings: a succeeded run with any is shown as not green.</summary>
    [JsonPropertyName("failed_checks")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int FailedChecks { get; init; }

    /// <summary>The chain's and each prompt agent's version (docs/prompts.md); null for runs made before they were recorded.</summary>
    [JsonPropertyName("versions")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Prompts.RunVersions? Versions { get; init; }

    /// <summary>`baton mark RUN bad|good`: a person's verdict on the run, which last-known-good respects.</summary>
    [JsonPropertyName("mark")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Mark { get; init; }

    public static RunSummary Load(RunFolder run)
    {
        var events = EventReader.ReadAll(run.Events);
        var state = RunState.Fold(events);
        var order = ChainAgentOrder(run) ?? [.. state.Agents.Keys];
        var agents = new Dictionary<string, AgentSummary>(StringComparer.Ordinal);
        foreach (var name in order)
        {
            var agent = state.Agent(name);
            var output = run.AgentOutput(name);
            agents[name] = new AgentSummary(
                agent.Status,
                agent.Attempt,
                agent.CostUsd,
                File.Exists(output) ? Path.GetRelativePath(run.Path, output) : null,
                agent.Reason,
                agent.StartedAt,
                agent.FinishedAt
            );
        }
        return new RunSummary(
            run.Id,
            state.Chain ?? ChainName(run.Id),
            state.Status,
            state.FinishReason,
            state.Started,
            state.Finished,
            agents.Values.Sum(a => a.CostUsd),
            agents
        )
        {
            QualityScore = state.QualityScore,
            FailedChecks = state.FailedChecks,
            Versions = Prompts.RunVersions.Load(run.Path),
            Mark = Prompts.RunMark.Read(run.Path)?.Verdict,
        };
    }

    /// <summary>
    /// Load, remembering finished runs: nothing changes a finished run's events, so a host that lists
    /// runs over and over (the web UI polls every 2 s) reads each one's history once, not on every poll.
    /// Runs still going are always read afresh.
    /// </summary>
    public static RunSummary LoadRemembered(RunFolder run)
    {
        if (FinishedRuns.TryGetValue(run.Path, out var known))
            return known with { Mark = Prompts.RunMark.Read(run.Path)?.Verdict }; // a finished run can still be marked
        var summary = Load(run);
        if (summary.Status.IsFinished())
        {
            if (FinishedRuns.Count >= FinishedCapacity)
                FinishedRuns.Clear(); // a very long history: start over rather than track recency
            FinishedRuns[run.Path] = summary;
        }
        return summary;
    }

    /// <summary>Whether LoadRemembered knows the run as finished (then it has nothing pending, no decision waiting).</summary>
    public static bool IsKnownFinished(RunFolder run) => FinishedRuns.ContainsKey(run.Path);

    private const int FinishedCapacity = 10_000; // ~1 KB each
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, RunSummary> FinishedRuns = new(
        StringComparer.Ordinal
    );

    /// <summary>True when the run is not finished and no engine holds it: it needs `baton resume`.</summary>
    public static bool IsOrphaned(RunFolder run, RunSummary summary) =>
        !summary.Status.IsFinished() && summary.Status != RunStatus.Waiting && !RunLock.IsHeld(run.LockFile);

    private static string[]? ChainAgentOrder(RunFolder run)
    {
        try
        {
            return [.. RunEngine.LoadChain(run).Agents.Select(a => a.Name)];
        }
        catch (Exception e) when (e is IOException or Chains.ChainValidationException)
        {
            return null;
        }
    }

    private static string ChainName(string runId) => runId.Length > 21 ? runId[16..^5] : runId;

    public string ToJson() => JsonSerializer.Serialize(this, RunSummaryJson.Default.RunSummary);
}

public sealed record AgentSummary(
    [property: JsonPropertyName("status")] AgentStatus Status,
    [property: JsonPropertyName("attempts")] int Attempts,
    [property: JsonPropertyName("cost_usd")] decimal CostUsd,
    [property: JsonPropertyName("output")] string? Output,
    [property: JsonPropertyName("reason")] string? Reason,
    [property: JsonPropertyName("started")] DateTimeOffset? Started,
    [property: JsonPropertyName("finished")] DateTimeOffset? Finished
);

[JsonSourceGenerationOptions(WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(RunSummary))]
[JsonSerializable(typeof(List<RunSummary>))]
public sealed partial class RunSummaryJson : JsonSerializerContext;
