using Baton.Events;

namespace Baton.Runs;

/// <summary>
/// Answering a decision from outside the engine (the CLI, the server): check that it is waiting,
/// drop the answer into the inbox, and read the engine's verdict once it has taken the file.
/// </summary>
public static class DecisionInbox
{
    /// <summary>Writes the decision into the run's inbox; returns the inbox file's name (to find its verdict).</summary>
    /// <param name="fileName">The inbox file's name, if the caller chose it (InboxFileName) to listen for it before it exists.</param>
    /// <exception cref="DecisionRefusedException">The agent is not a decision that is waiting.</exception>
    public static async Task<string> SubmitAsync(
        RunFolder run,
        string agent,
        string decision,
        string comment,
        string by,
        string? shownHash = null,
        string? fileName = null
    )
    {
        var events = EventReader.ReadAll(run.Events);
        var state = RunState.Fold(events);
        var chain = RunEngine.LoadChain(run);
        if (chain.Agent(agent) is not { } spec)
            throw new DecisionRefusedException(
                $"run {run.Id} has no agent '{agent}' (agents: {string.Join(", ", chain.Agents.Select(a => a.Name))})"
            );
        if (spec.Decision is null)
            throw new DecisionRefusedException($"'{agent}' is not a decision agent");
        var current = state.Agent(agent);
        if (current.Status != AgentStatus.Waiting || current.Decision is not null)
            throw new DecisionRefusedException(
                $"'{agent}' is not waiting for a decision (it is {current.Status}{(current.Decision is { } d ? $", already decided: {d}" : "")})"
            );
        var waiting = events.Last(e => e.Type == EventTypes.For(agent, EventTypes.Waiting));
        var options = OfferedOptions(waiting);
        if (!options.Contains(decision))
            throw new DecisionRefusedException(
                $"'{decision}' is not an option here (options: {string.Join(", ", options)})"
            );
        return await InboxWriter.WriteAsync(
            run.Inbox,
            EventTypes.For(agent, EventTypes.Decided),
            EventJson.Data(
                ("decision", decision),
                ("comment", comment),
                ("by", by),
                ("round", current.Attempt),
                ("shown_hash", shownHash ?? current.ShownHash)
            ),
            fileName: fileName
        );
    }

    /// <summary>
    /// A reviewer's comment with every secret of the workspace masked: it is written into the run's inbox,
    /// its events and the audit log, and a pasted error message can hold a token.
    /// </summary>
    public static string MaskComment(Workspaces.Workspace workspace, string? comment) =>
        string.IsNullOrEmpty(comment) ? "" : Secrets.SecretMasker.ForWorkspace(workspace).Apply(comment);

    /// <summary>A fresh name for an answer to this decision agent's inbox file.</summary>
    public static string InboxFileName(string agent) =>
        InboxWriter.NewFileName(EventTypes.For(agent, EventTypes.Decided));

    /// <summary>The options a `waiting` event offers the reviewer (in round max_rounds, `changes` is gone).</summary>
    public static List<string> OfferedOptions(RunEvent waiting) =>
        waiting.Data is { } data && data.TryGetProperty("options", out var o)
            ? [.. o.EnumerateArray().Select(x => x.GetString()!)]
            : [];

    /// <summary>What the engine made of an answer: accepted (Refusal null) once Durable completes, or refused and why.</summary>
    public sealed record Verdict(string? Refusal, Task Durable);

    /// <summary>
    /// Waits for the engine to take the file. An acceptance is acknowledged to a person, so its event
    /// must survive a crash first: the engine (maybe another process) fsyncs it in its own time, and
    /// Durable fsyncs the file and folder itself rather than answer before that. It is queued at once,
    /// so whatever else the caller commits now (its audit line) shares the round.
    /// </summary>
    /// <param name="taken">
    /// When the caller hosts the engine (the server), its word that the event was appended, asked for
    /// before the file was written (so it cannot be missed): then the folder is read only every 500 ms,
    /// for the cases no engine reports (the run had already finished). Without it (the CLI, whose engine
    /// is another process) the folder is read every 50 ms.
    /// </param>
    public static async Task<Verdict> WaitForVerdictAsync(
        RunFolder run,
        string inboxFile,
        TimeSpan timeout,
        Task<RunEvent>? taken = null
    )
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (taken is not null)
                await Task.WhenAny(taken, Task.Delay(500));
            if (taken is { IsCompletedSuccessfully: true })
                return VerdictOf(run, taken.Result);
            var events = EventReader.ReadAll(run.Events);
            foreach (var e in events.Reverse())
            {
                if (e.Source is null || !e.Source.EndsWith("@" + inboxFile, StringComparison.Ordinal))
                    continue;
                return VerdictOf(run, e);
            }
            // A finished run takes nothing more from its inbox: an answer that came too late is refused here.
            var pending = Path.Combine(run.Inbox, inboxFile);
            if (events.Count > 0 && events[^1].Type == EventTypes.RunFinished && File.Exists(pending))
            {
                File.Delete(pending);
                return new Verdict($"the run already finished ({events[^1].GetString("status")})", Task.CompletedTask);
            }
            if (taken is null)
                await Task.Delay(50);
        }
        throw new DecisionRefusedException(
            $"the engine running {run.Id} did not take the decision within {timeout.TotalSeconds:0} s"
        );
    }

    private static Verdict VerdictOf(RunFolder run, RunEvent e)
    {
        if (e.Type == EventTypes.InboxRejected)
            return new Verdict(e.GetString("reason") ?? "refused", Task.CompletedTask);
        return new Verdict(
            null,
            GroupCommitter.Shared.CommitExisting(Path.Combine(run.Events, e.FileName), run.Events)
        );
    }
}

/// <summary>The decision cannot be taken (not a decision, not waiting, not an option, or the engine refused it).</summary>
public sealed class DecisionRefusedException(string message) : Exception(message);
