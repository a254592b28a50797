using System.Collections.Concurrent;
using Baton.Events;

namespace Baton.Runs;

/// <summary>
/// What a host that lists runs over and over shows of each (the web UI polls the runs list every 2 s and the decision
/// inbox every 5 s): its summary and the decisions it waits at, read from its files once per change, not per poll.
/// A finished run never changes (but for a person's mark, read afresh). A waiting run changes only by a new event —
/// nothing of it runs — so it is read again when its newest event is not the one it was read at (a listing, no
/// file read). Runs still going are read afresh every time. What is kept is a cache of what was shown, not a run's
/// state: up to 10,000 runs of each kind (~1 KB each), dropped whole when full and read again from the files.
/// </summary>
public static class RunViews
{
    private const int Capacity = 10_000;

    private static readonly ConcurrentDictionary<string, RunSummary> Finished = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, WaitingRun> Waiting = new(StringComparer.Ordinal);

    /// <summary>A waiting run as read at its event <paramref name="LastSeq"/>.</summary>
    private sealed record WaitingRun(long LastSeq, RunSummary Summary, IReadOnlyList<PendingDecision> Pending);

    /// <summary>
    /// The run's summary (RunSummary.Load), read again only when it may have changed; a finished run's mark is read
    /// afresh (a finished run can still be marked).
    /// </summary>
    public static RunSummary Summary(RunFolder run) =>
        Finished.TryGetValue(run.Path, out var finished)
            ? finished with
            {
                Mark = Prompts.RunMark.Read(run.Path)?.Verdict,
            }
            : Unfinished(run).Summary;

    /// <summary>The decisions the run waits at (none unless it is waiting), read again only when they may have changed.</summary>
    public static IReadOnlyList<PendingDecision> Pending(RunFolder run) =>
        Finished.ContainsKey(run.Path) ? [] : Unfinished(run).Pending;

    /// <summary>A run not known to be finished: as last read if it waits and nothing was added since, else read now.</summary>
    private static (RunSummary Summary, IReadOnlyList<PendingDecision> Pending) Unfinished(RunFolder run)
    {
        if (WaitingAsRead(run) is { } waiting)
            return (waiting.Summary, waiting.Pending);
        var events = EventReader.ReadAll(run.Events);
        var state = RunState.Fold(events);
        var kept = Remember(run, events, state, out var pending);
        return (kept ?? RunSummary.From(run, state), pending);
    }

    /// <summary>
    /// The decisions waiting in the runs of runs/, oldest run first. A run known to be finished is passed over by its
    /// name alone: most of a workspace's history is finished runs, and the inbox's badge asks every 5 s.
    /// </summary>
    public static IEnumerable<(RunFolder Run, PendingDecision Decision)> PendingIn(string runsRoot) =>
        RunFolder
            .Named(runsRoot)
            .Where(run => !Finished.ContainsKey(run.Path) && run.IsInPlace)
            .SelectMany(run => Pending(run).Select(decision => (run, decision)));

    /// <summary>The waiting run as last read, if no event was added since.</summary>
    private static WaitingRun? WaitingAsRead(RunFolder run) =>
        Waiting.TryGetValue(run.Path, out var waiting) && EventReader.LastSeq(run.Events) == waiting.LastSeq
            ? waiting
            : null;

    /// <summary>Keeps a finished or waiting run's summary (returned); forgets a run still going (null).</summary>
    /// <param name="events">The events <paramref name="state"/> folded (what a waiting run's decisions show is in them).</param>
    private static RunSummary? Remember(
        RunFolder run,
        IReadOnlyList<RunEvent> events,
        RunState state,
        out IReadOnlyList<PendingDecision> pending
    )
    {
        pending = [];
        if (state.Status.IsFinished())
        {
            Waiting.TryRemove(run.Path, out _);
            return Keep(Finished, run.Path, RunSummary.From(run, state));
        }
        if (state.Status != RunStatus.Waiting)
        {
            Waiting.TryRemove(run.Path, out _);
            return null;
        }
        // Keyed by the last event folded, not by a listing made before: one added meanwhile makes the next look read again.
        pending = [.. PendingDecision.Of(run, events, state)];
        return Keep(Waiting, run.Path, new WaitingRun(state.LastSeq, RunSummary.From(run, state), pending)).Summary;
    }

    private static T Keep<T>(ConcurrentDictionary<string, T> kept, string path, T value)
    {
        if (kept.Count >= Capacity)
            kept.Clear(); // a very long history: start over rather than track recency
        return kept[path] = value;
    }
}
