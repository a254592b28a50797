using System.Text.Json;
using System.Text.Json.Serialization;
using Baton.Events;

namespace Baton.Runs;

/// <summary>What `baton show --json` and GET .../runs/{id} answer (SPEC §4), built from the run's files only.</summary>
/// <remarks>Its JSON is written by <see cref="RunSummaryConverter"/>: the field names and which are left out when empty are there.</remarks>
[JsonConverter(typeof(RunSummaryConverter))]
public sealed record RunSummary(
    string Id,
    string? Chain,
    RunStatus Status,
    string? Reason,
    DateTimeOffset? Started,
    DateTimeOffset? Finished,
    decimal CostUsd,
    IReadOnlyDictionary<string, AgentSummary> Agents
)
{
    /// <summary>Set by a host whose engine can't write the run's events (e.g. "disk full: …"); the files can't say so.</summary>
    public string? Stalled { get; init; }

    /// <summary>Passed over all quality checks of the agents' latest attempts, weighted (docs/monitoring.md); absent without checks.</summary>
    public double? QualityScore { get; init; }

    /// <summary>Checks that failed as warnings: a succeeded run with any is shown as not green.</summary>
    public int FailedChecks { get; init; }

    /// <summary>The chain's and each prompt agent's version (docs/prompts.md); null for runs made before they were recorded.</summary>
    public Prompts.RunVersions? Versions { get; init; }

    /// <summary>`baton mark RUN bad|good`: a person's verdict on the run, which last-known-good respects.</summary>
    public string? Mark { get; init; }

    public static RunSummary Load(RunFolder run) => From(run, RunState.Fold(EventReader.ReadAll(run.Events)));

    /// <summary>The summary of a run whose events are already folded.</summary>
    public static RunSummary From(RunFolder run, RunState state)
    {
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

/// <summary>One agent's line of a <see cref="RunSummary"/> (written by <see cref="RunSummaryConverter"/>).</summary>
public sealed record AgentSummary(
    AgentStatus Status,
    int Attempts,
    decimal CostUsd,
    string? Output,
    string? Reason,
    DateTimeOffset? Started,
    DateTimeOffset? Finished
);

[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(RunSummary))]
[JsonSerializable(typeof(List<RunSummary>))]
public sealed partial class RunSummaryJson : JsonSerializerContext;
