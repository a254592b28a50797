using System.Globalization;
using Baton.Events;
using Baton.Runs;

namespace Baton.Cli;

/// <summary>How an event reads on one line of a terminal: what its typed <see cref="RunEvent.Body"/> says.</summary>
public static class EventLine
{
    public static string? Format(RunEvent e)
    {
        var time = e.Time.ToLocalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        var detail = e.Body switch
        {
            AgentStarted s => e.Attempt > 1 ? $"attempt {e.Attempt}{(s.Resumed ? " (resumed)" : "")}" : "",
            AgentDone d => Done(d),
            AgentFailed f => $"{f.Reason}: {f.Message}{(f.RetryInMs is { } ms ? $" — retrying in {ms} ms" : "")}",
            AgentChecked c => $"{c.Check} {(c.Passed ? "passed" : $"failed ({c.OnFail})")}"
                + (c.Score is > 0 and < 1 ? $", score {c.Score.ToString("0.##", CultureInfo.InvariantCulture)}" : "")
                + (c.Message is { Length: > 0 } m ? $": {m}" : ""),
            AgentSkipped s => s.Reason,
            AgentDecided d => $"{d.Decision.Wire()} by {d.By}{(d.Comment is { Length: > 0 } c ? $": {c}" : "")}",
            AgentWaiting w => $"round {e.Attempt}: {w.Shown}"
                + (
                    w.Deadline is { } due
                        ? $" (until {due.ToLocalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture)})"
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
            CustomEvent c
                when c.Data.ValueKind == System.Text.Json.JsonValueKind.Object && c.Data.EnumerateObject().Any() =>
                Shorten(c.Data.GetRawText()),
            _ => null,
        };
        return $"{time}  {e.Type}{(string.IsNullOrEmpty(detail) ? "" : "  " + detail)}";
    }

    public static string Json(RunEvent e) => EventJson.ToLine(e);

    private static string Done(AgentDone d)
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
        return string.Join(", ", parts) + Cost(d.Cost.CostUsd);
    }

    private static string Cost(decimal? usd) =>
        usd is > 0 ? $" (${usd.Value.ToString("0.####", CultureInfo.InvariantCulture)})" : "";

    /// <summary>A custom event's data on one line: enough to recognise it, never a screenful.</summary>
    private static string Shorten(string json) => json.Length <= 120 ? json : json[..117] + "...";
}
