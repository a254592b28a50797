using Baton.Events;
using Baton.Runs;
using Baton.Workspaces;

namespace Baton.Cli;

/// <summary>Runs (or resumes) one run in this process with a live view, and turns its end into an exit code.</summary>
public static class RunExecution
{
    public static async Task<int> ExecuteAsync(Workspace workspace, RunFolder run, bool json)
    {
        using var cancel = Terminal.CancelOnSignals(out var signals);
        using var _ = signals;
        var chain = RunEngine.LoadChain(run);
        IProgressView view =
            json ? new SilentView()
            : Terminal.StdoutIsTerminal ? new LiveView(chain)
            : new PlainView();
        var options = new EngineOptions
        {
            OnEvent = (_, e) => view.OnEvent(e),
            OnWarning = message => view.OnWarning(message),
            OnProgress = (_, agent, text) => view.OnProgress(agent, text),
            RetryBaseDelay = RetryBaseDelayFromEnvironment() ?? new EngineOptions().RetryBaseDelay,
        };
        if (!json)
            Console.WriteLine($"run {run.Id}  ({Terminal.Relative(run.Path)})");
        var engine = new RunEngine(workspace, options);
        var outcome = await view.Show(() => engine.RunAsync(run, cancel.Token));
        // At a decision: ask here when a person is at the terminal, then carry on with the answer.
        while (
            outcome.Status == RunStatus.Waiting && !json && Terminal.StdinIsTerminal && !cancel.IsCancellationRequested
        )
        {
            if (!await DecisionPrompt.AskAsync(workspace, run))
                break;
            outcome = await view.Show(() => engine.RunAsync(run, cancel.Token));
        }
        // `notify:` deliveries go on beside the run; this process must not exit under them (bounded: retries back off ~3 s).
        await engine.Notifier.DrainAsync(TimeSpan.FromSeconds(30));
        var summary = RunSummary.Load(run);
        if (json)
            Console.WriteLine(summary.ToJson());
        else
            PrintEnd(run, summary, outcome);
        return ExitCodes.ForStatus(outcome.Status);
    }

    /// <summary>BATON_RETRY_BASE_DELAY_MS: an operator's knob (and the tests') for the first retry's delay.</summary>
    private static TimeSpan? RetryBaseDelayFromEnvironment() =>
        int.TryParse(Environment.GetEnvironmentVariable("BATON_RETRY_BASE_DELAY_MS"), out var ms) && ms >= 0
            ? TimeSpan.FromMilliseconds(ms)
            : null;

    private static void PrintEnd(RunFolder run, RunSummary summary, RunOutcome outcome)
    {
        if (outcome.Status == RunStatus.Waiting)
        {
            Console.WriteLine("waiting for a decision; the run holds no process until someone answers:");
            foreach (var (name, _) in summary.Agents.Where(a => a.Value.Status == AgentStatus.Waiting))
            {
                Console.WriteLine($"  see:    cat {Terminal.Relative(Path.Combine(run.AgentDir(name), "shown.md"))}");
                Console.WriteLine($"  answer: baton decide {run.Id} {name} approve|reject|changes -m \"comment\"");
            }
            return;
        }
        var took = summary.Started is { } s && summary.Finished is { } f ? $" in {Terminal.Elapsed(f - s)}" : "";
        var cost = summary.CostUsd > 0 ? $", cost ${summary.CostUsd:0.0000}" : "";
        Console.WriteLine(
            $"{outcome.Status.Wire()}{took}{cost}{(outcome.Reason is { } r && outcome.Status != RunStatus.Succeeded ? $": {r}" : "")}"
        );
        foreach (var (name, agent) in summary.Agents.Where(a => a.Value.Status == AgentStatus.Failed))
            Console.WriteLine($"  {name}: {agent.Reason}  (see: baton logs {run.Id} {name})");
        Console.WriteLine($"folder: {Terminal.Relative(run.Path)}");
    }
}

public interface IProgressView
{
    void OnEvent(RunEvent e);
    void OnWarning(string message);
    void OnProgress(string agent, string text) { }
    Task<RunOutcome> Show(Func<Task<RunOutcome>> run);
}

internal sealed class SilentView : IProgressView
{
    public void OnEvent(RunEvent e) { }

    public void OnWarning(string message) => Console.Error.WriteLine($"warning: {message}");

    public Task<RunOutcome> Show(Func<Task<RunOutcome>> run) => run();
}

/// <summary>One line per event: for logs, CI and pipes.</summary>
internal sealed class PlainView : IProgressView
{
    public void OnEvent(RunEvent e)
    {
        var line = EventLine.Format(e);
        if (line is not null)
            Console.WriteLine(line);
    }

    public void OnWarning(string message) => Console.Error.WriteLine($"warning: {message}");

    public Task<RunOutcome> Show(Func<Task<RunOutcome>> run) => run();
}
