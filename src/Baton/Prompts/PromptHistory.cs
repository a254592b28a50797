using Baton.Chains;
using Baton.Runs;

namespace Baton.Prompts;

/// <summary>One run's use of a prompt agent: which version, and how the run did.</summary>
public sealed record PromptUse(
    string RunId,
    DateTimeOffset? Started,
    RunStatus Status,
    string? Mark,
    PromptVersion Version,
    int FailedChecks = 0
)
{
    /// <summary>Succeeded, passed its checks (none failed, not even as a warning) and not marked bad.</summary>
    public bool Good => Status == RunStatus.Succeeded && FailedChecks == 0 && Mark != RunMark.Bad;
}

/// <summary>A prompt version as `prompt log` lists it: when first and last used, in how many runs, how they did (FailedChecks: runs with a failed check).</summary>
public sealed record PromptVersionUse(
    PromptVersion Version,
    DateTimeOffset? FirstUsed,
    DateTimeOffset? LastUsed,
    int Runs,
    IReadOnlyDictionary<string, int> Statuses,
    int MarkedBad,
    string LatestRun,
    int FailedChecks = 0
);

/// <summary>
/// A prompt agent's history, read from the run folders of its chain: each run's versions.json says
/// which version it used, its events how it ended, its mark.json what a person said of it.
/// </summary>
public static class PromptHistory
{
    /// <summary>Oldest first. Runs made before versions were recorded, or whose chain had no such prompt agent, are skipped.</summary>
    public static IReadOnlyList<PromptUse> Uses(string runsRoot, string chain, string agent)
    {
        var uses = new List<PromptUse>();
        foreach (var run in RunFolder.All(runsRoot).Where(r => ChainOf(r.Id) == chain))
        {
            if (RunVersions.Load(run.Path)?.Prompts.GetValueOrDefault(agent) is not { } version)
                continue;
            var summary = RunViews.Summary(run);
            uses.Add(
                new PromptUse(run.Id, summary.Started, summary.Status, summary.Mark, version, summary.FailedChecks)
            );
        }
        // By when each run started, not by id: ids sort by the wall clock's second and then a random suffix, so
        // two runs of one second could swap and "last good" name the older one.
        return
        [
            .. uses.OrderBy(u => u.Started ?? DateTimeOffset.MinValue).ThenBy(u => u.RunId, StringComparer.Ordinal),
        ];
    }

    /// <summary>Versions in the order they were first used.</summary>
    public static IReadOnlyList<PromptVersionUse> Versions(IReadOnlyList<PromptUse> uses) =>
        [
            .. uses.GroupBy(u => u.Version.Version)
                .Select(g => new PromptVersionUse(
                    g.Last().Version,
                    g.First().Started,
                    g.Last().Started,
                    g.Count(),
                    g.GroupBy(u => u.Status.Wire()).ToDictionary(s => s.Key, s => s.Count(), StringComparer.Ordinal),
                    g.Count(u => u.Mark == RunMark.Bad),
                    g.Last().RunId,
                    g.Count(u => u.FailedChecks > 0)
                )),
        ];

    /// <summary>
    /// Last known good: the version used by the most recent run of the chain that succeeded, passed
    /// its checks and was not marked bad. Null when no run qualifies.
    /// </summary>
    public static PromptUse? LastKnownGood(IReadOnlyList<PromptUse> uses) => uses.LastOrDefault(u => u.Good);

    /// <summary>The prompt and system text a run used, from its snapshot (never from the workspace, which may have changed).</summary>
    public static PromptText TextOf(RunFolder run, string agent)
    {
        var spec = RunEngine.LoadChain(run).Agent(agent)?.Prompt
            ?? throw new ArgumentException($"run {run.Id} has no prompt agent '{agent}'", nameof(agent));
        return new PromptText(spec.Text, spec.System);
    }

    public static PromptText TextOf(Chain chain, string agent)
    {
        var spec = chain.Agent(agent)?.Prompt
            ?? throw new ArgumentException(
                $"chain '{chain.Name}' has no prompt agent '{agent}' (prompt agents: {string.Join(", ", chain.Agents.Where(a => a.Prompt is not null).Select(a => a.Name))})",
                nameof(agent)
            );
        return new PromptText(spec.Text, spec.System);
    }

    public const string LastGood = "last-good";

    /// <summary>
    /// The run whose snapshot holds the version to compare against, and how to name it: `last-good`,
    /// a run id (or `last`), or a version — a prefix (4+ characters) of `version` or of `prompt_sha256`.
    /// </summary>
    /// <exception cref="PromptVersionNotFoundException">Nothing matches, or a prefix matches several versions.</exception>
    /// <exception cref="RunNotFoundException">A well-formed run id with no run.</exception>
    public static (RunFolder Run, string Label) Find(string runsRoot, string chain, string agent, string against)
    {
        if (RunIds.IsValid(against) || against == "last")
            return (RunFolder.Find(runsRoot, against), $"run {against}");
        var uses = Uses(runsRoot, chain, agent);
        if (against == LastGood)
        {
            var good = LastKnownGood(uses)
                ?? throw new PromptVersionNotFoundException(
                    $"no last known good version of '{chain}' agent '{agent}': no run of the chain succeeded, passed its checks and was not marked bad"
                );
            return (RunFolder.Find(runsRoot, good.RunId), $"last good, run {good.RunId}");
        }
        var matches = uses.Where(u =>
                u.Version.Version.StartsWith(against, StringComparison.OrdinalIgnoreCase)
                || u.Version.PromptSha256.StartsWith(against, StringComparison.OrdinalIgnoreCase)
            )
            .ToList();
        if (against.Length < 4 || matches.Count == 0)
            throw new PromptVersionNotFoundException(
                $"'{against}' is not last-good, a run id, or a version of '{agent}' (see: baton prompt log {chain} {agent})"
            );
        if (matches.Select(m => m.Version.Version).Distinct().Count() != 1)
            throw new PromptVersionNotFoundException($"'{against}' matches several versions; give more of it");
        var newest = matches[^1];
        return (RunFolder.Find(runsRoot, newest.RunId), $"version {newest.Version.Version}, run {newest.RunId}");
    }

    private static string ChainOf(string runId) => runId[16..^5];
}

/// <summary>A prompt agent's texts as written (before templating).</summary>
public sealed record PromptText(string Prompt, string? System)
{
    public string Version =>
        PromptVersion.VersionOf(RunVersions.Sha256(Prompt), System is null ? null : RunVersions.Sha256(System));
}

/// <summary>`--against` (CLI) / `?against=` (API) named no version that can be found; the message says what to do.</summary>
public sealed class PromptVersionNotFoundException(string message) : Exception(message);
