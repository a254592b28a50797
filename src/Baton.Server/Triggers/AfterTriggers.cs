using Baton.Chains;
using Baton.Runs;
using Baton.Server.Hosting;
using Baton.Workspaces;
using Microsoft.Extensions.Logging;

namespace Baton.Server.Triggers;

/// <summary>
/// `after: CHAIN` triggers: when a run of CHAIN finishes with a matching status, each chain of the same
/// workspace that waits for it starts, with `{{ after.run_id }}`, `{{ after.status }}` and
/// `{{ after.outputs.AGENT }}` (the agent's output file, read below the run folder without following links,
/// up to 256 KiB). Chains on a cycle of `after:` triggers are not started (AfterCycles): they would run forever.
/// </summary>
public sealed class AfterTriggers(DataRoot data, TriggerStarter starter, ILogger<AfterTriggers> logger)
{
    private const int MaxOutputBytes = 256 << 10;

    /// <param name="chain">The finished run's chain, as its engine ran it; read back from the run when not given.</param>
    public async Task OnFinishedAsync(string workspace, RunFolder run, RunStatus status, string? chain = null)
    {
        string? finished;
        try
        {
            // Not RunSummary.Load when the engine said: folding the run's events and reading its prompt versions back
            // for one name was 7 % of a server's CPU under W2S (docs/performance.md).
            finished = chain ?? RunSummary.Load(run).Chain;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnsafePathException)
        {
            logger.LogWarning("{Workspace}: after-triggers of run {Run}: {Reason}", workspace, run.Id, e.Message);
            return;
        }
        var root = data.WorkspacePath(workspace);
        if (!IsAwaited(workspace, root, finished))
            return;
        var chains = WorkspaceChains.Load(root);
        var waiting = chains
            .Where(c => c.Chain is not null)
            .SelectMany(c => c.Chain!.Triggers.OfType<AfterTrigger>().Select(t => (Entry: c, Trigger: t)))
            .Where(w => w.Trigger.Chain == finished && Matches(w.Trigger.Status, status))
            .ToList();
        if (waiting.Count == 0)
            return;
        var cycles = AfterCycles.Find(chains.Where(c => c.Chain is not null).Select(c => c.Chain!));
        foreach (var (entry, trigger) in waiting)
        {
            if (cycles.Contains(entry.Name))
            {
                logger.LogWarning(
                    "{Workspace}: {Chain} not started after {Finished}: its after: triggers form a cycle",
                    workspace,
                    entry.Name,
                    finished
                );
                continue;
            }
            try
            {
                await starter.StartAsync(
                    workspace,
                    entry,
                    trigger,
                    reference => Resolve(run, status, reference),
                    $"after {finished} run {run.Id} {status.Wire()}"
                );
            }
            catch (Exception e) when (e is IOException or UnsafePathException or UnauthorizedAccessException)
            {
                logger.LogWarning(
                    "{Workspace}: {Chain} not started after {Run}: {Reason}",
                    workspace,
                    entry.Name,
                    run.Id,
                    e.Message
                );
            }
        }
    }

    /// <summary>Per workspace: the chains/ stamp (WorkspaceChains.Stamp) and the chains some `after:` trigger names.</summary>
    private sealed record Awaited(string Stamp, IReadOnlySet<string> Chains);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Awaited> _awaited = new(
        StringComparer.Ordinal
    );

    /// <summary>
    /// Whether any chain of the workspace has an `after:` trigger naming <paramref name="finished"/>, from what
    /// chains/ held when its files last changed: listing and reading every chain for every finished run was 2.5 %
    /// of a server's CPU under W2S, where no chain waits for anything (docs/performance.md). When one does, the
    /// chains are loaded afresh as before, so a run started by a trigger gets the chain and prompt files as they are.
    /// </summary>
    private bool IsAwaited(string workspace, string root, string? finished)
    {
        // The real clock, not the server's: it is compared with the file system's modification times.
        var stamp = WorkspaceChains.Stamp(root, TimeProvider.System.GetUtcNow(), TimeSpan.FromSeconds(2));
        if (stamp is not null && _awaited.TryGetValue(workspace, out var known) && known.Stamp == stamp)
            return finished is not null && known.Chains.Contains(finished);
        var chains = WorkspaceChains
            .Load(root)
            .Where(c => c.Chain is not null)
            .SelectMany(c => c.Chain!.Triggers.OfType<AfterTrigger>().Select(t => t.Chain))
            .ToHashSet(StringComparer.Ordinal);
        if (stamp is not null)
            _awaited[workspace] = new Awaited(stamp, chains);
        return finished is not null && chains.Contains(finished);
    }

    private static bool Matches(AfterStatus wanted, RunStatus status) =>
        wanted switch
        {
            AfterStatus.Any => true,
            AfterStatus.Failed => status == RunStatus.Failed,
            _ => status == RunStatus.Succeeded,
        };

    private static string Resolve(RunFolder run, RunStatus status, string reference)
    {
        if (reference == "after.run_id")
            return run.Id;
        if (reference == "after.status")
            return status.Wire();
        var agent = reference["after.outputs.".Length..];
        try
        {
            return WorkspaceDirectory.ReadText(run.Path, $"agents/{agent}/output", MaxOutputBytes) ?? "";
        }
        catch (Exception e) when (e is IOException or UnsafePathException)
        {
            return ""; // too large, a link, or gone: the input is empty rather than something outside the run
        }
    }
}
