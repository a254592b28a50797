using System.Text.Json.Serialization;

namespace Baton.Events;

/// <summary>A reviewer's answer to a decision agent (docs/chains.md); in files and JSON: approve, reject, changes.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Decision>))]
public enum Decision
{
    [JsonStringEnumMemberName("approve")]
    Approve,

    [JsonStringEnumMemberName("reject")]
    Reject,

    [JsonStringEnumMemberName("changes")]
    Changes,
}

/// <summary>The one spelling of each enum value in files, JSON and the CLI.</summary>
public static class DecisionWire
{
    public static string Wire(this Decision decision) =>
        decision switch
        {
            Decision.Approve => "approve",
            Decision.Reject => "reject",
            Decision.Changes => "changes",
            _ => throw new ArgumentOutOfRangeException(nameof(decision)),
        };

    public static bool TryParse(string? text, out Decision decision)
    {
        (var known, decision) = text switch
        {
            "approve" => (true, Decision.Approve),
            "reject" => (true, Decision.Reject),
            "changes" => (true, Decision.Changes),
            _ => (false, default),
        };
        return known;
    }
}
