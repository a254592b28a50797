using System.Globalization;
using System.Text.Json;
using Baton.Runs;

namespace Baton.Events;

/// <summary>
/// The one mapping between typed events (<see cref="EventBody"/>) and the files' <c>type</c> and <c>data</c>. Encoding
/// writes each record's fields in their fixed order; decoding is tolerant (docs/events.md): a file from an older
/// version, or one whose data does not fit its type, reads as a <see cref="CustomEvent"/> rather than failing the run.
/// </summary>
public static class EventCodec
{
    /// <summary>The event's data, as its file holds it (a custom event's exactly as given, even if not an object).</summary>
    public static JsonElement Encode(EventBody body) =>
        body is CustomEvent custom ? custom.Data : EventJson.Build(body.WriteData);

    /// <summary>What an event file's type and data say.</summary>
    public static EventBody Decode(string type, string? agent, JsonElement? data)
    {
        var d = new EventData(data);
        var body =
            agent is not null && AgentSuffix(type, agent) is { } suffix ? DecodeAgentEvent(suffix, d)
            : agent is not null
                ? d.String("from") is { } from ? new Emitted(type, from)
                    : null
            : DecodeRunEvent(type, d);
        return body ?? new CustomEvent(type, data ?? EventJson.EmptyObject);
    }

    private static EventBody? DecodeRunEvent(string type, EventData d) =>
        type switch
        {
            EventTypes.RunStarted => new RunStarted(
                d.String("chain") ?? "",
                d.String("run") ?? "",
                d.String("trigger"),
                d.Object("parent") is { } parent ? ParentRun.Read(parent) : null
            ),
            EventTypes.RunCancel => new RunCancel(d.String("by") ?? ""),
            EventTypes.RunStop => new RunStop(d.String("by") ?? "", d.String("reason")),
            EventTypes.RunFinished => new RunFinished(
                RunStatusWire.TryParse(d.String("status"), out RunStatus status) ? status : RunStatus.Failed,
                d.String("reason"),
                d.Decimal("cost_usd")
            ),
            EventTypes.InboxRejected => new InboxRejected(d.String("file") ?? "", d.String("reason") ?? ""),
            EventTypes.BudgetAlert => new BudgetAlerted(
                d.String("workspace") ?? "",
                d.Decimal("spent_usd") ?? 0,
                d.Decimal("budget_usd") ?? 0,
                d.Decimal("percent") ?? 0
            ),
            _ => null,
        };

    private static EventBody? DecodeAgentEvent(string suffix, EventData d) =>
        suffix switch
        {
            EventTypes.Started => new AgentStarted(d.True("resumed")),
            EventTypes.Done => new AgentDone(
                d.String("output") ?? "",
                d.Int64("bytes"),
                d.Int32("exit_code"),
                CallCost.Read(d),
                DecisionWire.TryParse(d.String("decision"), out var approved) ? approved : null
            ),
            EventTypes.Failed => new AgentFailed(
                d.String("reason") ?? "",
                d.String("message"),
                d.Int32("exit_code"),
                d.True("retry") ? d.Int64("retry_in_ms") ?? 0 : null,
                CallCost.Read(d),
                d.String("feedback")
            ),
            EventTypes.Checked => new AgentChecked(
                d.String("check") ?? "",
                d.True("passed"),
                d.Double("score") ?? 0,
                d.String("message") ?? "",
                d.String("on_fail") ?? "warn",
                d.Double("weight") ?? 1
            ),
            EventTypes.Skipped => new AgentSkipped(d.String("reason") ?? ""),
            EventTypes.Cancelled => new AgentCancelled(),
            EventTypes.Rejected => new AgentRejected(),
            EventTypes.Waiting => new AgentWaiting(
                d.String("shown") ?? "",
                d.String("shown_hash") ?? "",
                [
                    .. (d.Strings("options") ?? [])
                        .Select(o => DecisionWire.TryParse(o, out var x) ? x : (Decision?)null)
                        .OfType<Decision>(),
                ],
                d.Int32("round") ?? 0,
                d.Int32("max_rounds") ?? 0,
                DateTimeOffset.TryParse(d.String("deadline"), CultureInfo.InvariantCulture, out var deadline)
                    ? deadline
                    : null
            ),
            EventTypes.Decided when DecisionWire.TryParse(d.String("decision"), out var decision) => new AgentDecided(
                decision,
                d.String("by") ?? "",
                d.String("comment") ?? "",
                d.Int32("round") ?? 0,
                d.String("shown_hash"),
                d.Strings("rerun")
            ),
            _ => null,
        };

    /// <summary>The part after "&lt;agent&gt;." when the type starts with it.</summary>
    public static string? AgentSuffix(string type, string agent) =>
        type.Length > agent.Length + 1 && type.StartsWith(agent, StringComparison.Ordinal) && type[agent.Length] == '.'
            ? type[(agent.Length + 1)..]
            : null;
}
