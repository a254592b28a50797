using System.Text.Json;
using Baton.Workspaces;

namespace Baton.Monitoring;

/// <summary>
/// The workspace's .baton/alerts.jsonl: every alert, one line each, appended and fsync'd (alerts are rare,
/// and one that vanished in a crash would be the one nobody saw). Read by `baton alerts`, the API and the UI.
/// </summary>
public static class AlertLog
{
    private static readonly Lock Gate = new();

    /// <summary>Relative to the workspace; read and written through WorkspaceDirectory, never through a link.</summary>
    public const string File = ".baton/alerts.jsonl";

    /// <exception cref="Runs.UnsafePathException">A link is in the way (a tampered workspace): nothing is written.</exception>
    public static void Append(string workspaceRoot, Alert alert)
    {
        var line = alert.ToJson();
        lock (Gate)
            WorkspaceDirectory.Append(workspaceRoot, File, line, fsync: true, createParent: true);
    }

    /// <summary>All alerts, oldest first; a torn line is skipped.</summary>
    public static IReadOnlyList<Alert> Read(string workspaceRoot)
    {
        var alerts = new List<Alert>();
        foreach (var line in WorkspaceDirectory.ReadLines(workspaceRoot, File))
        {
            if (line.Length == 0)
                continue;
            try
            {
                alerts.Add(Alert.Parse(line));
            }
            catch (Exception e) when (e is JsonException or FormatException) { }
        }
        return alerts;
    }

    /// <summary>True when the same condition (Alert.Key) was raised within <paramref name="quiet"/> before now: it is not raised again.</summary>
    public static bool RaisedRecently(IReadOnlyList<Alert> existing, Alert alert, TimeSpan quiet) =>
        existing.Any(a => a.Key == alert.Key && a.Time > alert.Time - quiet);
}
