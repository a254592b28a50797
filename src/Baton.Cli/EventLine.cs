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
            AgentFailed f => $"{f.Reason}: {f.Message}{(f.RetryInMs is { } ms ? $" — retrying in {ms} ms" : "")}",
            AgentSkipped s => s.Reason,
            AgentDecided d => $"{d.Decision.Wire()} by {d.By}{(d.Comment is { Length: > 0 } c ? $": {c}" : "")}",
            AgentWaiting w => $"round {e.Attempt}: {w.Shown}",
            RunFinished f => f.Status.Wire() + (f.Reason is { } r ? $": {r}" : ""),
            InboxRejected r => $"{r.File}: {r.Reason}",
            _ => null,
        };
        return $"{time}  {e.Type}{(string.IsNullOrEmpty(detail) ? "" : "  " + detail)}";
    }

    public static string Json(RunEvent e) => EventJson.ToLine(e);
}
