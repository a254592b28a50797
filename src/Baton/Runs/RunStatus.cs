namespace Baton.Runs;

/// <summary>Run and agent statuses as they appear in files and JSON (SPEC §3).</summary>
public static class RunStatus
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Waiting = "waiting";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Rejected = "rejected";
    public const string Cancelled = "cancelled";

    public static bool IsFinished(string status) => status is Succeeded or Failed or Rejected or Cancelled;
}

public static class AgentStatus
{
    public const string Pending = "pending";
    public const string Running = "running";
    public const string Waiting = "waiting";
    public const string Done = "done";
    public const string Failed = "failed";
    public const string Skipped = "skipped";
    public const string Cancelled = "cancelled";
    public const string Rejected = "rejected";

    public static bool IsTerminal(string status) => status is Done or Failed or Skipped or Cancelled or Rejected;
}
