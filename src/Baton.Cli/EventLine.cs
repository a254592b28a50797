using System.Globalization;
using System.Text.Json;
using Baton.Events;

namespace Baton.Cli;

/// <summary>How an event reads on one line of a terminal.</summary>
public static class EventLine
{
    public static string? Format(RunEvent e)
    {
        var time = e.Time.ToLocalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        var detail = e.AgentEventSuffix switch
        {
            EventTypes.Started => e.Attempt > 1
                ? $"attempt {e.Attempt}{(e.GetBool("resumed") ? " (resumed)" : "")}"
                : "",
            EventTypes.Failed =>
                $"{e.GetString("reason")}: {e.GetString("message")}{(e.GetBool("retry") ? $" — retrying in {e.GetInt64("retry_in_ms")} ms" : "")}",
            EventTypes.Skipped => e.GetString("reason"),
            EventTypes.Decided =>
                $"{e.GetString("decision")} by {e.GetString("by")}{(e.GetString("comment") is { Length: > 0 } c ? $": {c}" : "")}",
            EventTypes.Waiting => $"round {e.Attempt}: {e.GetString("shown")}",
            _ => e.Type switch
            {
                EventTypes.RunFinished => e.GetString("status") + (e.GetString("reason") is { } r ? $": {r}" : ""),
                EventTypes.InboxRejected => $"{e.GetString("file")}: {e.GetString("reason")}",
                _ => null,
            },
        };
        return $"{time}  {e.Type}{(string.IsNullOrEmpty(detail) ? "" : "  " + detail)}";
    }

    public static string Json(RunEvent e) => EventJson.ToLine(e);
}
