namespace Baton.Events;

/// <summary>The engine's own event types (SPEC §3). Anything else after "&lt;agent&gt;." is a custom event.</summary>
public static class EventTypes
{
    public const string RunStarted = "run.started";
    public const string RunFinished = "run.finished";
    public const string RunCancel = "run.cancel";

    /// <summary>A `stop:` agent ended the run: `by` (the agent), `reason`.</summary>
    public const string RunStop = "run.stop";
    public const string InboxRejected = "inbox.rejected";
    public const string BudgetAlert = "budget.alert";

    public const string Started = "started";
    public const string Done = "done";
    public const string Failed = "failed";
    public const string Waiting = "waiting";
    public const string Decided = "decided";
    public const string Rejected = "rejected";
    public const string Skipped = "skipped";
    public const string Cancelled = "cancelled";

    /// <summary>One quality check's verdict on an attempt's output (docs/monitoring.md).</summary>
    public const string Checked = "checked";

    private static readonly HashSet<string> EngineSuffixes =
    [
        Started,
        Done,
        Failed,
        Waiting,
        Decided,
        Rejected,
        Skipped,
        Cancelled,
        Checked,
    ];

    /// <summary>Suffixes a script may not emit itself: they would forge the engine's own bookkeeping.</summary>
    public static bool IsEngineSuffix(string suffix) => EngineSuffixes.Contains(suffix);

    public static string For(string agent, string suffix) => $"{agent}.{suffix}";
}
