using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Baton.Chains;
using Baton.Events;
using Baton.Runs;

namespace Baton.Notifications;

/// <summary>What a `notify:` webhook is sent: Baton's JSON, or a Slack-compatible `{"text": …}`.</summary>
internal sealed record NotifyPayload(
    string Workspace,
    string Chain,
    string Run,
    NotifyOn On,
    RunEvent Source,
    Uri? LinkBase
)
{
    /// <summary>A waiting decision's card as the reviewer sees it (its shown.md), up to 64 KiB.</summary>
    public string CardText { get; init; } = "";

    public string Event => On.ToString().ToLowerInvariant();

    private string? Link =>
        LinkBase is null ? null : new Uri(LinkBase, $"/#/inbox/{Uri.EscapeDataString(Run)}").ToString();

    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("event", Event);
            w.WriteString("workspace", Workspace);
            w.WriteString("chain", Chain);
            w.WriteString("run", Run);
            w.WriteString("time", Source.Time);
            switch (Source.Body)
            {
                case RunFinished finished:
                    w.WriteString("status", finished.Status.Wire());
                    if (finished.Reason is { } reason)
                        w.WriteString("reason", reason);
                    if (finished.CostUsd is { } cost)
                        w.WriteNumber("cost_usd", cost);
                    break;
                case AgentWaiting waiting:
                    w.WriteString("status", "waiting");
                    w.WriteStartObject("decision");
                    w.WriteString("agent", Source.Agent);
                    w.WriteString("text", CardText);
                    w.WriteStartArray("options");
                    foreach (var option in waiting.Options)
                        w.WriteStringValue(option.Wire());
                    w.WriteEndArray();
                    if (waiting.Deadline is { } deadline)
                        w.WriteString("deadline", deadline);
                    if (Link is { } link)
                        w.WriteString("link", link);
                    w.WriteString(
                        "command",
                        $"baton decide {Run} {Source.Agent} {string.Join('|', waiting.Options.Select(o => o.Wire()))}"
                    );
                    w.WriteEndObject();
                    break;
            }
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>Slack's incoming-webhook shape: one `text` in its mrkdwn, the link as `&lt;url|label&gt;`.</summary>
    public byte[] ToSlack()
    {
        var text = new StringBuilder();
        text.Append($"*{Escape(Chain)}* run `{Run}`");
        switch (Source.Body)
        {
            case RunFinished finished:
                text.Append($" {finished.Status.Wire()}");
                if (finished.Reason is { } reason)
                    text.Append($": {Escape(reason)}");
                break;
            case AgentWaiting waiting:
                text.Append(
                    $" is waiting for a decision at *{Escape(Source.Agent ?? "")}*:\n>{Escape(CardText).Replace("\n", "\n>", StringComparison.Ordinal)}"
                );
                if (Link is { } link)
                    text.Append($"\n<{link}|Open the inbox>");
                break;
        }
        return Encoding.UTF8.GetBytes(new JsonObject { ["text"] = text.ToString() }.ToJsonString());
    }

    /// <summary>Slack's three control characters; everything else is shown as written.</summary>
    private static string Escape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal)
            .Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal);
}
