using Baton.Chains;
using Baton.Events;
using Baton.Runs;
using Spectre.Console;

namespace Baton.Cli;

/// <summary>The terminal's live table: each agent's state, elapsed time and cost, redrawn as events arrive.</summary>
internal sealed class LiveView(Chain chain) : IProgressView
{
    private readonly Lock _gate = new();
    private readonly RunState _state = new();
    private readonly List<string> _notes = [];
    private readonly Dictionary<string, string> _streamed = new(StringComparer.Ordinal);
    private const int StreamTail = 48;

    /// <summary>The tail of what a prompt agent is streaming, so tokens can be seen arriving.</summary>
    public void OnProgress(string agent, string text)
    {
        lock (_gate)
        {
            var tail = (_streamed.GetValueOrDefault(agent, "") + text.ReplaceLineEndings(" ")).TrimStart();
            _streamed[agent] = tail.Length > StreamTail ? tail[^StreamTail..] : tail;
        }
    }

    public void OnEvent(RunEvent e)
    {
        lock (_gate)
        {
            _state.Apply(e);
            if (e.Body is AgentFailed failed)
                _notes.Add($"[red]{Markup.Escape(e.Agent!)}[/]: {Markup.Escape(failed.Message ?? failed.Reason)}");
        }
    }

    /// <summary>Each warning once (several agents may report the same thing, e.g. "no provider configured").</summary>
    public void OnWarning(string message)
    {
        var note = $"[yellow]warning[/]: {Markup.Escape(message)}";
        lock (_gate)
            if (!_notes.Contains(note))
                _notes.Add(note);
    }

    public async Task<RunOutcome> Show(Func<Task<RunOutcome>> run)
    {
        RunOutcome? outcome = null;
        await AnsiConsole
            .Live(Render())
            .AutoClear(false)
            .StartAsync(async context =>
            {
                var task = run();
                while (!task.IsCompleted)
                {
                    await Task.WhenAny(task, Task.Delay(100));
                    context.UpdateTarget(Render());
                }
                outcome = await task;
                context.UpdateTarget(Render());
            });
        return outcome!;
    }

    /// <summary>
    /// The notes (warnings, failures) above the table, each on the terminal's full width: as the table's caption they
    /// were wrapped to its width (~40 columns). The streaming column is there only while an agent streams: no empty column.
    /// </summary>
    private Rows Render()
    {
        lock (_gate)
        {
            var now = DateTimeOffset.UtcNow;
            var streaming = chain.Agents.ToDictionary(
                a => a.Name,
                a =>
                    _state.Agent(a.Name).Status == AgentStatus.Running && _streamed.TryGetValue(a.Name, out var tail)
                        ? $"[grey]…{Markup.Escape(tail)}[/]"
                        : ""
            );
            var anyStreaming = streaming.Values.Any(s => s.Length > 0);
            var table = new Table().Border(TableBorder.Rounded).AddColumns("agent", "status", "time", "cost");
            if (anyStreaming)
                table.AddColumn("");
            foreach (var spec in chain.Agents)
            {
                var agent = _state.Agent(spec.Name);
                var time = agent.StartedAt is { } s ? Terminal.Elapsed((agent.FinishedAt ?? now) - s) : "";
                var attempt =
                    agent.Attempt > 1
                        ? spec.Decision is null
                            ? $" (attempt {agent.Attempt})"
                            : $" (round {agent.Attempt})"
                        : "";
                string[] cells =
                [
                    Markup.Escape(spec.Name),
                    Colour(agent.Status) + Markup.Escape(attempt),
                    time,
                    agent.CostUsd > 0 ? $"${agent.CostUsd:0.0000}" : "",
                ];
                table.AddRow(anyStreaming ? [.. cells, streaming[spec.Name]] : cells);
            }
            return new Rows([.. _notes.TakeLast(5).Select(note => new Markup(note)), table]);
        }
    }

    private static string Colour(AgentStatus status) =>
        status switch
        {
            AgentStatus.Running => "[blue]running[/]",
            AgentStatus.Waiting => "[yellow]waiting[/]",
            AgentStatus.Done => "[green]done[/]",
            AgentStatus.Failed => "[red]failed[/]",
            AgentStatus.Rejected => "[red]rejected[/]",
            _ => $"[grey]{status.Wire()}[/]",
        };
}
