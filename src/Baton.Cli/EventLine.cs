using System.Globalization;
using Baton.Events;

namespace Baton.Cli;

/// <summary>How an event reads on one line of a terminal: its time, type and what it says (EventView, shared with the API).</summary>
public static class EventLine
{
    public static string? Format(RunEvent e)
    {
        var time = e.Time.ToLocalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        var detail = EventView.Text(e);
        return $"{time}  {e.Type}{(string.IsNullOrEmpty(detail) ? "" : "  " + detail)}";
    }

    public static string Json(RunEvent e) => EventJson.ToLine(e);
}
