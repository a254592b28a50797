using System.Text.Json.Serialization;

namespace Baton.Runs;

/// <summary>A run's status; in files and JSON the lower-case name (docs/events.md).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RunStatus>))]
public enum RunStatus
{
    [JsonStringEnumMemberName("queued")]
    Queued,

    [JsonStringEnumMemberName("running")]
    Running,

    [JsonStringEnumMemberName("waiting")]
    Waiting,

    [JsonStringEnumMemberName("succeeded")]
    Succeeded,

    [JsonStringEnumMemberName("failed")]
    Failed,

    [JsonStringEnumMemberName("rejected")]
    Rejected,

    [JsonStringEnumMemberName("cancelled")]
    Cancelled,
}

/// <summary>An agent's status within a run; in files and JSON the lower-case name.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AgentStatus>))]
public enum AgentStatus
{
    [JsonStringEnumMemberName("pending")]
    Pending,

    [JsonStringEnumMemberName("running")]
    Running,

    [JsonStringEnumMemberName("waiting")]
    Waiting,

    [JsonStringEnumMemberName("done")]
    Done,

    [JsonStringEnumMemberName("failed")]
    Failed,

    [JsonStringEnumMemberName("skipped")]
    Skipped,

    [JsonStringEnumMemberName("cancelled")]
    Cancelled,

    [JsonStringEnumMemberName("rejected")]
    Rejected,
}

/// <summary>The one spelling of each status in files, JSON and the CLI's text (every member's name, lower-cased).</summary>
public static class RunStatusWire
{
    private static readonly string[] RunNames = [.. Enum.GetNames<RunStatus>().Select(n => n.ToLowerInvariant())];
    private static readonly string[] AgentNames = [.. Enum.GetNames<AgentStatus>().Select(n => n.ToLowerInvariant())];

    public static string Wire(this RunStatus status) => RunNames[(int)status];

    public static string Wire(this AgentStatus status) => AgentNames[(int)status];

    public static bool TryParse(string? text, out RunStatus status)
    {
        var i = Array.IndexOf(RunNames, text);
        status = i < 0 ? default : (RunStatus)i;
        return i >= 0;
    }

    public static bool TryParse(string? text, out AgentStatus status)
    {
        var i = Array.IndexOf(AgentNames, text);
        status = i < 0 ? default : (AgentStatus)i;
        return i >= 0;
    }

    public static bool IsFinished(this RunStatus status) =>
        status is RunStatus.Succeeded or RunStatus.Failed or RunStatus.Rejected or RunStatus.Cancelled;

    public static bool IsTerminal(this AgentStatus status) =>
        status
            is AgentStatus.Done
                or AgentStatus.Failed
                or AgentStatus.Skipped
                or AgentStatus.Cancelled
                or AgentStatus.Rejected;
}
