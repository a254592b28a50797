using System.Text.Json;

namespace Baton.Monitoring;

/// <summary>
/// The workspace's .baton/alerts.jsonl: every alert, one line each, appended and fsync'd (alerts are rare,
/// and one that vanished in a crash would be the one nobody saw). Read by `baton alerts`, the API and the UI.
/// </summary>
public static class AlertLog
{
    private static readonly Lock Gate = new();

    public static string PathFor(string workspaceRoot) => Path.Combine(workspaceRoot, ".baton", "alerts.jsonl");

    public static void Append(string workspaceRoot, Alert alert)
    {
        var line = alert.ToJson();
        lock (Gate)
        {
            Directory.CreateDirectory(Path.Combine(workspaceRoot, ".baton"));
            using var stream = new FileStream(
                PathFor(workspaceRoot),
                FileMode.Append,
                FileAccess.Write,
                FileShare.ReadWrite
            );
            stream.Write(line);
            stream.Flush(flushToDisk: true);
        }
    }

    /// <summary>All alerts, oldest first; a torn line is skipped.</summary>
    public static IReadOnlyList<Alert> Read(string workspaceRoot)
    {
        var path = PathFor(workspaceRoot);
        if (!File.Exists(path))
            return [];
        var alerts = new List<Alert>();
        foreach (var line in File.ReadAllLines(path))
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
