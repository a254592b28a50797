using System.Globalization;
using System.Text.Json;
using Baton.Runs;

namespace Baton.Events;

/// <summary>
/// What an event says to a person, read from its typed record in this one place: the CLI's event lines
/// (Cli/EventLine) and the API's event shape (EventJson.ToApiLine, docs/events.md "The API's event shape"),
/// which the web UI shows as it is — neither parses an event file's data by key.
/// </summary>
public static class EventView
{
    /// <summary>Which record the event is: run.started, run.cancel, run.stop, run.finished, inbox.rejected, budget.alert; an agent's started, done, failed, checked, skipped, cancelled, waiting, decided, rejected; emitted; custom.</summary>
    public static string Kind(RunEvent e) =>
        e.Body switch
        {
            AgentEventBody agent => agent.Suffix,
            Emitted => "emitted",
            CustomEvent => "custom",
            _ => e.Type,
        };

    /// <summary>How the UI colours it: the kind, but a finished run by its status (finished-failed is red, not the green of "finished").</summary>
    public static string Tone(RunEvent e) =>
        e.Body switch
        {
            RunFinished f => $"finished-{f.Status.Wire()}",
            RunCancel => "cancel",
            InboxRejected => "rejected",
            _ => Kind(e).StartsWith("run.", StringComparison.Ordinal) ? Kind(e)[4..] : Kind(e),
        };

    /// <summary>What a failed attempt said (e.g. "exited with code 3"), for the agent's panel; null for other events.</summary>
    public static string? Message(RunEvent e) => e.Body is AgentFailed f ? f.Message ?? f.Reason : null;

    /// <summary>The event in a few words (null when its type says it all).</summary>
    public static string? Text(RunEvent e) =>
        e.Body switch
        {
            AgentStarted s => e.Attempt > 1 ? $"attempt {e.Attempt}{(s.Resumed ? " (resumed)" : "")}" : null,
            AgentDone d => Done(d),
            AgentFailed f => $"{f.Reason}: {f.Message}{(f.RetryInMs is { } ms ? $" — retrying in {ms} ms" : "")}",
            AgentChecked c => $"{c.Check} {(c.Passed ? "passed" : $"failed ({c.OnFail})")}"
                + (c.Score is > 0 and < 1 ? $", score {c.Score.ToString("0.##", CultureInfo.InvariantCulture)}" : "")
                + (c.Message is { Length: > 0 } m ? $": {m}" : ""),
            AgentSkipped s => s.Reason,
            AgentDecided d => $"{d.Decision.Wire()} by {d.By}{(d.Comment is { Length: > 0 } c ? $" “{c}”" : "")}",
            AgentWaiting w => $"round {e.Attempt}: {w.Shown}"
                + (
                    w.Deadline is { } due
                        ? $" (until {due.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC)"
                        : ""
                ),
            RunStarted r => r.Trigger is { } trigger ? $"{r.Chain}, by {trigger}" : r.Chain,
            RunCancel c => $"by {c.By}",
            RunStop s => $"by {s.By}" + (s.Reason is { Length: > 0 } reason ? $": {reason}" : ""),
            RunFinished f => f.Status.Wire() + (f.Reason is { } r ? $": {r}" : "") + Cost(f.CostUsd),
            BudgetAlerted b =>
                $"{b.Workspace} spent ${b.SpentUsd.ToString("0.##", CultureInfo.InvariantCulture)} of ${b.BudgetUsd.ToString("0.##", CultureInfo.InvariantCulture)} ({b.Percent.ToString("0", CultureInfo.InvariantCulture)} %)",
            InboxRejected r => $"{r.File}: {r.Reason}",
            Emitted m => $"from {m.From}",
            CustomEvent c when c.Data.ValueKind == JsonValueKind.Object && c.Data.EnumerateObject().Any() => Shorten(
                c.Data.GetRawText()
            ),
            _ => null,
        };

    private static string? Done(AgentDone d)
    {
        if (d.Decision is { } decision)
            return decision.Wire();
        var parts = new List<string>();
        if (d.Bytes is { } bytes)
            parts.Add($"{bytes.ToString("N0", CultureInfo.InvariantCulture)} bytes");
        if (d.Cost.InputTokens is { } input && d.Cost.OutputTokens is { } output)
            parts.Add(
                $"{input.ToString(CultureInfo.InvariantCulture)}+{output.ToString(CultureInfo.InvariantCulture)} tokens"
            );
        var text = string.Join(", ", parts) + Cost(d.Cost.CostUsd);
        return text.Length == 0 ? null : text.TrimStart();
    }

    private static string Cost(decimal? usd) =>
        usd is > 0 ? $" (${usd.Value.ToString("0.####", CultureInfo.InvariantCulture)})" : "";

    /// <summary>A custom event's data on one line: enough to recognise it, never a screenful.</summary>
    private static string Shorten(string json) => json.Length <= 120 ? json : json[..117] + "...";
}
