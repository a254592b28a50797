using System.Text.Json;
using Baton.Agents;
using Baton.Agents.Processes;
using Baton.Chains;
using Baton.Events;

namespace Baton.Runs;

internal sealed partial class RunLoop
{
    private sealed record RunningAgent(int Attempt, CancellationTokenSource Cancel, IDisposable? InboxWatch)
    {
        public IDisposable? Slot { get; init; }
        public Task Task { get; set; } = Task.CompletedTask;
    }

    /// <summary>Agents waiting for a slot (AgentSlots): not started yet, so no `started` event — a queued agent is still pending.</summary>
    private readonly HashSet<string> _awaitingSlot = new(StringComparer.Ordinal);

    /// <summary>
    /// Starts a process agent once a slot is free. Slots govern processes, not waiting: a decision
    /// holds nothing, and a prompt agent waits for the model at its provider's gate (ProviderGate),
    /// so 1,000 runs waiting on LLM calls do not queue behind a few slots.
    /// </summary>
    private void RequestStart(string name, int attempt, bool resumed)
    {
        if (_engine.Slots is not { } slots || !_chain.Agent(name)!.IsProcess)
        {
            StartAgent(name, attempt, resumed, slot: null);
            return;
        }
        if (!_awaitingSlot.Add(name))
            return;
        var key = _engine.Workspace.Root;
        _ = Task.Run(async () =>
        {
            AgentSlots.Lease lease;
            try
            {
                lease = await slots.AcquireAsync(key, _stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            // The loop may have ended meanwhile (its channel is then complete): never keep a slot nobody will use.
            if (!_signals.Writer.TryWrite(new SlotGranted(name, attempt, resumed, lease)))
                lease.Dispose();
        });
    }

    private void OnSlotGranted(SlotGranted granted)
    {
        _awaitingSlot.Remove(granted.Agent);
        var agent = _state.Agent(granted.Agent);
        var stillWanted =
            !_state.CancelRequested
            && !_state.Status.IsFinished()
            && (
                agent.Status == AgentStatus.Pending
                || (agent.Status == AgentStatus.Failed && agent.RetryAt is not null)
                || (agent.Status == AgentStatus.Running && !_running.ContainsKey(granted.Agent))
            );
        if (stillWanted)
            StartAgent(granted.Agent, granted.Attempt, granted.Resumed, granted.Lease);
        else
            granted.Lease.Dispose();
    }

    private void StartAgent(string name, int attempt, bool resumed, IDisposable? slot)
    {
        var spec = _chain.Agent(name)!;
        if (spec.Kind == AgentKind.Stop)
        {
            slot?.Dispose();
            StopRun(spec, attempt);
            return;
        }
        string agentDir,
            workDir;
        string? agentInbox;
        try
        {
            agentDir = PrepareAgentDir(name, attempt);
            agentInbox = spec.IsProcess ? SafePaths.EnsureDirectory(_run.Path, Path.Combine("inbox", name)) : null;
            workDir = WorkDir(spec);
        }
        catch (UnsafePathException e)
        {
            // An earlier agent swapped one of the run's folders for a symlink: fail this agent, never follow it.
            Append(new AgentStarted(resumed), name, attempt);
            FailAtStart(name, attempt, AgentResult.Failed("unsafe-path", e.Message), slot);
            return;
        }
        if (spec.Kind == AgentKind.Decision)
        {
            slot?.Dispose();
            AskForDecision(spec, attempt, agentDir);
            return;
        }
        Append(new AgentStarted(resumed), name, attempt);

        if (SecretEnvironment(spec, out var secretValues) is { } missing)
        {
            FailAtStart(name, attempt, AgentResult.Failed("config", missing), slot);
            return;
        }
        if (!Options.Runners.TryGetValue(spec.Kind, out var runner))
        {
            FailAtStart(
                name,
                attempt,
                AgentResult.Failed(
                    "unsupported",
                    $"{spec.Kind.ToString().ToLowerInvariant()} agents are not supported by this engine yet"
                ),
                slot
            );
            return;
        }
        var context = new AgentContext(
            _engine.Workspace,
            _run,
            _chain,
            spec,
            attempt,
            agentDir,
            workDir,
            spec.IsProcess ? Environment(spec, attempt, agentDir, agentInbox, secretValues) : NoEnvironment,
            template => RenderTemplate(name, template),
            Options.KillGrace
        )
        {
            Warn = Options.OnWarning,
            Masker = new Secrets.SecretMasker(secretValues.Values),
            Isolation = spec.IsProcess ? Options.IsolationFor?.Invoke(_engine.Workspace) : null,
            Alert = body => _signals.Writer.TryWrite(new AgentAlert(body)),
            Time = Options.Time,
            Progress = Options.OnProgress is { } onProgress ? text => onProgress(_run, name, text) : null,
            Resumed = resumed,
            AllowPrivateWebhooks = Options.AllowPrivateWebhooks,
            Children = spec.Kind == AgentKind.Chain ? _engine.Children : null,
        };
        var cancel = Timer();
        var timeout = spec.Timeout ?? _engine.Workspace.Config.Limits.AgentTimeout;
        if (timeout is { } t)
            cancel.CancelAfter(t);
        var watch = Options.WatchInbox && agentInbox is not null ? Watch(agentInbox) : null;
        // Registered before it starts: an in-process agent may finish (and signal) before the call below returns.
        var running = _running[name] = new RunningAgent(attempt, cancel, watch) { Slot = slot };
        // A process is started on the thread pool (spawning blocks); an in-process agent (an LLM call) runs on this
        // loop until its first await, so a run goes on to its next hand-off at once instead of queueing behind
        // every other run's work (W2: 1,000 runs' prep agents all finished only after every run had started).
        running.Task = spec.IsProcess ? Task.Run(RunToEndAsync) : RunToEndAsync();

        async Task RunToEndAsync()
        {
            AgentResult result;
            IReadOnlyList<Checks.CheckOutcome> checks = [];
            var span = Telemetry.RunTelemetry.StartAgent(_span?.Context ?? default, spec, attempt, _run.Id);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            try
            {
                result = await runner.RunAsync(context, cancel.Token);
                if (result.Succeeded && spec.Checks.Count > 0)
                    checks = await Checks.CheckRunner.RunAsync(
                        spec.Checks,
                        context,
                        result,
                        clock.Elapsed,
                        CheckTools(spec, attempt, context, secretValues),
                        cancel.Token
                    );
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or UnsafePathException)
            {
                result = AgentResult.Failed("io", e.Message);
            }
            catch (Exception e)
            {
                // A bug in a runner must not hang the run: the agent fails and says what went wrong.
                result = AgentResult.Failed("internal", $"{e.GetType().Name}: {e.Message}");
            }
            Telemetry.RunTelemetry.EndAgent(span, result);
            var timedOut = cancel.IsCancellationRequested && !_state.CancelRequested;
            _signals.Writer.TryWrite(new AgentFinished(name, attempt, result, timedOut) { Checks = checks });
        }
    }

    /// <summary>
    /// An agent's inbox/&lt;agent&gt;/ is its user's only while it runs (WorkspaceFolders.PrepareAgent hands
    /// it over): given back to the engine's user when it ends, so no other agent of the workspace (same
    /// user, another run) can drop events there for it meanwhile. One statx where nothing was handed over.
    /// </summary>
    private void TakeBackInbox(string agent)
    {
        var inbox = _run.AgentInbox(agent);
        var euid = Libc.geteuid();
        if (
            Libc.OwnerOf(inbox) is var owner
            && owner >= 0
            && owner != euid
            && Libc.KindOf(inbox) == Libc.EntryKind.Directory
        )
            Libc.lchown(inbox, (int)euid, (int)Libc.getegid());
    }

    /// <summary>An attempt that fails before any process starts still finishes through OnAgentFinished, which only accepts running agents.</summary>
    private void FailAtStart(string name, int attempt, AgentResult result, IDisposable? slot)
    {
        _running[name] = new RunningAgent(attempt, new CancellationTokenSource(), null) { Slot = slot };
        _signals.Writer.TryWrite(new AgentFinished(name, attempt, result, false));
    }

    private void OnAgentFinished(AgentFinished finished)
    {
        if (!_running.Remove(finished.Agent, out var running))
            return;
        if (running.Attempt != finished.Attempt)
        {
            _running[finished.Agent] = running; // a stale attempt's signal: the current one is still running
            return;
        }
        running.InboxWatch?.Dispose();
        running.Cancel.Dispose();
        running.Slot?.Dispose();
        var spec = _chain.Agent(finished.Agent)!;
        if (spec.IsProcess)
        {
            IngestInbox(finished.Agent); // what the agent emitted lands before its own done/failed event
            TakeBackInbox(finished.Agent);
        }
        var result = RequireChosenEvent(spec, finished.Result);
        var retryable = true;
        string? feedback = null;
        if (result.Succeeded && finished.Checks.Count > 0)
        {
            AppendChecks(finished);
            // The first failed check that is more than a warning decides: the attempt fails (and may be re-run with its message).
            if (finished.Checks.FirstOrDefault(c => !c.Passed && c.Check.OnFail != Checks.OnFail.Warn) is { } failed)
            {
                retryable = failed.Check.OnFail == Checks.OnFail.Retry;
                feedback = retryable ? $"check '{failed.Check.Name}' failed: {failed.Message}" : null;
                result = AgentResult.Failed("check", $"check '{failed.Check.Name}' failed: {failed.Message}") with
                {
                    CostUsd = result.CostUsd,
                    Tokens = result.Tokens,
                };
            }
        }
        if (result.Succeeded)
        {
            var output = new FileInfo(_run.AgentOutput(finished.Agent));
            Append(
                new AgentDone(
                    $"agents/{finished.Agent}/output",
                    output.Exists ? output.Length : 0L,
                    result.ExitCode,
                    Cost(result)
                ),
                finished.Agent,
                finished.Attempt
            );
            if (spec.Emits is { } emitted)
                Append(new Emitted(emitted, finished.Agent), finished.Agent, finished.Attempt);
            return;
        }
        if (_state.CancelRequested && !finished.TimedOut)
        {
            Append(new AgentCancelled(), finished.Agent, finished.Attempt);
            return;
        }
        var reason = finished.TimedOut ? "timeout" : result.Reason ?? "error";
        var message = finished.TimedOut
            ? $"timed out after {FormatDuration(spec.Timeout ?? _engine.Workspace.Config.Limits.AgentTimeout ?? TimeSpan.Zero)} (its whole process group was killed)"
            : result.Message;
        // Retries count within a round of a loop: each round gets its own.
        var attemptInRound = finished.Attempt - _state.Agent(finished.Agent).RoundFirstAttempt + 1;
        var retry = retryable && attemptInRound <= spec.Retries;
        var delay =
            !retry ? TimeSpan.Zero
            : spec.Backoff is { } backoff ? backoff.Before(attemptInRound)
            : RetryDelay(attemptInRound);
        Append(
            new AgentFailed(
                reason,
                message,
                result.ExitCode,
                retry ? (long)delay.TotalMilliseconds : null,
                Cost(result),
                retry ? feedback : null
            ),
            finished.Agent,
            finished.Attempt
        );
    }

    private static CallCost Cost(AgentResult result) =>
        new(result.CostUsd, result.Tokens?.InputTokens, result.Tokens?.OutputTokens);

    /// <summary>One `&lt;agent&gt;.checked` event per check, before the attempt's done or failed event.</summary>
    private void AppendChecks(AgentFinished finished)
    {
        foreach (var outcome in finished.Checks)
            Append(
                new AgentChecked(
                    outcome.Check.Name,
                    outcome.Passed,
                    Math.Round(outcome.Score, 4),
                    outcome.Message,
                    outcome.Check.OnFail.ToString().ToLowerInvariant(),
                    outcome.Check.Weight
                ),
                finished.Agent,
                finished.Attempt
            );
    }

    private bool CancelAgent(string name)
    {
        if (_running.TryGetValue(name, out var running))
        {
            if (!running.Cancel.IsCancellationRequested)
                running.Cancel.Cancel();
            return false; // its cancelled event comes when it has stopped
        }
        Append(new AgentCancelled(), name, _state.Agent(name).Attempt);
        return true;
    }

    /// <summary>
    /// After an engine died, agents it had started have no finished event. Each is re-run (at least
    /// once, SPEC §3) — but first the old attempt's process group is killed if it is still alive,
    /// so two attempts of one agent never run at once.
    /// </summary>
    private async Task RecoverInterruptedAgentsAsync()
    {
        foreach (var agent in _state.Agents.Values.Where(a => a.Status == AgentStatus.Running).ToList())
        {
            // Under the server, the attempt ran in cgroups of its own: empty and remove them, or they would outlive it.
            if (
                _chain.Agent(agent.Name) is { IsProcess: true }
                && Options.IsolationFor?.Invoke(_engine.Workspace) is { } isolation
            )
                await Isolation.Confinement.RemoveLeftoverAsync(
                    isolation,
                    _engine.Workspace,
                    _run.Id,
                    agent.Name,
                    agent.Attempt
                );
            var killed = false;
            var record = Path.Combine(_run.AgentDir(agent.Name), "process.json");
            if (File.Exists(record) && !SafePaths.IsSymlink(record))
            {
                try
                {
                    var process = JsonSerializer.Deserialize(
                        File.ReadAllText(record),
                        ProcessRecordJson.Default.ProcessRecord
                    );
                    killed = process is not null && StaleProcessGroup.KillIfAlive(process.Pid, process.StartTime);
                }
                catch (JsonException) { }
            }
            killed |= AgentProcessScan.KillAll(_run.Id, agent.Name) > 0;
            if (killed)
                Options.OnWarning?.Invoke(
                    $"{agent.Name}: killed attempt {agent.Attempt}, still running from the engine that stopped"
                );
            if (!_state.CancelRequested)
                RequestStart(agent.Name, agent.Attempt + 1, resumed: true);
        }
    }

    private static string FormatDuration(TimeSpan t) =>
        t.TotalHours >= 1 ? $"{t.TotalHours:0.##}h"
        : t.TotalMinutes >= 1 ? $"{t.TotalMinutes:0.##}m"
        : t.TotalSeconds >= 1 ? $"{t.TotalSeconds:0.##}s"
        : $"{t.TotalMilliseconds:0}ms";

    private TimeSpan RetryDelay(int failedAttempt)
    {
        var exponential = Options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, failedAttempt - 1);
        var capped = Math.Min(exponential, Options.RetryMaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.75 + Random.Shared.NextDouble() * 0.5));
    }
}
