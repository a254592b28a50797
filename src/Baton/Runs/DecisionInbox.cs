using Baton.Events;

namespace Baton.Runs;

/// <summary>
/// Answering a decision from outside the engine (the CLI, the server): check that it is waiting,
/// drop the answer into the inbox, and read the engine's verdict once it has taken the file.
/// </summary>
public static class DecisionInbox
{
    /// <summary>An answer checked and in the form the engine takes it: its event type and data.</summary>
    public sealed record Prepared(string Type, System.Text.Json.JsonElement Data);

    /// <summary>Checks an answer (DecisionRules, as the engine will again) and puts it in the form the engine takes.</summary>
    /// <param name="parked">What the host kept of the parked run (its waiting decisions), checked first.</param>
    /// <exception cref="DecisionRefusedException">DecisionRules refuse it now.</exception>
    public static Prepared Prepare(
        RunFolder run,
        string agent,
        Decision decision,
        string comment,
        string by,
        Answerer who,
        string? shownHash = null,
        WaitingDecisions? parked = null
    )
    {
        DecisionRules.RequireAnswerer(who);
        DecisionRules.RequireComment(decision, comment);
        var answer = new DecisionAnswer(decision.Wire(), comment, by, null, shownHash);
        var decided = Check(run, agent, answer, parked);
        return new Prepared(
            decided.TypeFor(agent),
            (answer with { Round = decided.Round, ShownHash = decided.ShownHash }).ToData()
        );
    }

    /// <summary>Writes a prepared answer into the run's inbox; returns the inbox file's name (to find its verdict).</summary>
    /// <param name="fileName">Its name, if the caller chose it (InboxFileName) to listen for it before it exists.</param>
    /// <param name="awaitsVerdict">
    /// The caller acknowledges the answer only once WaitForVerdictAsync says the engine's event is durable (the server):
    /// the inbox file is then not fsync'd first, which put a second commit round on every approval's path (W3S).
    /// Without it (`baton decide` with no engine running) the durable file is what "recorded" promises.
    /// </param>
    public static Task<string> WriteAsync(
        RunFolder run,
        Prepared answer,
        string? fileName = null,
        bool awaitsVerdict = false
    ) => InboxWriter.WriteAsync(run.Inbox, answer.Type, answer.Data, fileName: fileName, durable: !awaitsVerdict);

    /// <summary>
    /// The answer checked against what the host kept of the parked run when it has that (no events read), else against
    /// the run's events folded. A refusal by the kept decisions is checked again against the events: they are only as
    /// fresh as the engine's last pass, and another engine (`baton decide` by hand) may have moved the run on since.
    /// An acceptance needs no second look here: the engine checks every answer against the events when it takes it.
    /// </summary>
    private static AgentDecided Check(RunFolder run, string agent, DecisionAnswer answer, WaitingDecisions? parked)
    {
        if (parked is not null && parked.Agents.TryGetValue(agent, out var waiting))
            try
            {
                return DecisionRules.Check(parked.Chain, waiting, agent, answer);
            }
            catch (DecisionRefusedException) { }
        var state = RunState.Fold(EventReader.ReadAll(run.Events));
        return DecisionRules.Check(RunEngine.LoadChain(run), state, agent, answer);
    }

    /// <summary>
    /// Who this process is to the run: its engine writes as the user that made the run (its inbox/ is that user's),
    /// and an answer from another user would be refused by the engine — better said now, by the same rule.
    /// </summary>
    public static Answerer LocalUser(RunFolder run) => DecisionRules.WriterOf(Libc.OwnerOf(run.Inbox), Libc.geteuid());

    /// <summary>
    /// A reviewer's comment with every secret of the workspace masked: it is written into the run's inbox,
    /// its events and the audit log, and a pasted error message can hold a token.
    /// </summary>
    public static string MaskComment(Workspaces.Workspace workspace, string? comment) =>
        string.IsNullOrEmpty(comment) ? "" : Secrets.SecretMasker.ForWorkspace(workspace).Apply(comment);

    /// <summary>A fresh name for an answer to this decision agent's inbox file.</summary>
    public static string InboxFileName(string agent) =>
        InboxWriter.NewFileName(EventTypes.For(agent, EventTypes.Decided));

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
    /// <param name="committer">The host engine's committer (EngineOptions.Committer); default: the process's.</param>
    /// <param name="time">The clock the timeout is counted on; default: the system's.</param>
    /// <param name="handed">The answer was handed to the engine in memory (Inbox.Handed): there is no file to look for.</param>
    public static async Task<Verdict> WaitForVerdictAsync(
        RunFolder run,
        string inboxFile,
        TimeSpan timeout,
        Task<RunEvent>? taken = null,
        GroupCommitter? committer = null,
        TimeProvider? time = null,
        bool handed = false
    )
    {
        var clock = time ?? TimeProvider.System;
        var deadline = clock.GetUtcNow() + timeout;
        while (clock.GetUtcNow() < deadline)
        {
            if (taken is not null)
                await Task.WhenAny(taken, Task.Delay(TimeSpan.FromMilliseconds(500), clock));
            if (taken is { IsCompletedSuccessfully: true })
                return VerdictOf(run, taken.Result, committer);
            var events = EventReader.ReadAll(run.Events);
            if (events.LastOrDefault(e => TakenName.CameFrom(e.Source, inboxFile)) is { } verdict)
                return VerdictOf(run, verdict, committer);
            // A finished run takes nothing more from its inbox: an answer that came too late is refused here.
            var pending = Path.Combine(run.Inbox, inboxFile);
            if (events.Count > 0 && events[^1].Body is RunFinished finished && (handed || File.Exists(pending)))
            {
                if (!handed)
                    File.Delete(pending);
                return new Verdict($"the run already finished ({finished.Status.Wire()})", Task.CompletedTask);
            }
            if (taken is null)
                await Task.Delay(TimeSpan.FromMilliseconds(50), clock);
        }
        throw new DecisionRefusedException(
            DecisionRefusal.NoEngineAnswer,
            $"the engine running {run.Id} did not take the decision within {timeout.TotalSeconds:0} s"
        );
    }

    private static Verdict VerdictOf(RunFolder run, RunEvent e, GroupCommitter? committer) =>
        e.Body is InboxRejected refused
            ? new Verdict(refused.Reason, Task.CompletedTask)
            : new Verdict(
                null,
                (committer ?? GroupCommitter.Shared).CommitExisting(Path.Combine(run.Events, e.FileName), run.Events)
            );
}
