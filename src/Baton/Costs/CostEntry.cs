using System.Globalization;
using System.Text.Json;

namespace Baton.Costs;

/// <summary>One priced LLM call: one line of runs/&lt;id&gt;/costs.jsonl (SPEC §6).</summary>
public sealed record CostEntry(
    DateTimeOffset Time,
    string Workspace,
    string Chain,
    string Run,
    string Agent,
    int Attempt,
    int Call,
    string Provider,
    string Model,
    TokenUsage Usage,
    decimal Usd,
    bool Priced
)
{
    public string Source => Usage.Estimated ? "estimated" : "reported";

    public byte[] ToJsonLine() => JsonLines.Write(Time, Fields);

    /// <summary>The line in <paramref name="scratch"/>'s buffer (no copy).</summary>
    internal ReadOnlySpan<byte> WriteJsonLine(ScratchJson scratch) => JsonLines.WriteTo(scratch, Time, Fields);

    private void Fields(Utf8JsonWriter w)
    {
        w.WriteString("workspace", Workspace);
        w.WriteString("chain", Chain);
        w.WriteString("run", Run);
        w.WriteString("agent", Agent);
        w.WriteNumber("attempt", Attempt);
        w.WriteNumber("call", Call);
        w.WriteString("provider", Provider);
        w.WriteString("model", Model);
        w.WriteNumber("input_tokens", Usage.InputTokens);
        w.WriteNumber("output_tokens", Usage.OutputTokens);
        w.WriteNumber("cached_input_tokens", Usage.CachedInputTokens);
        w.WriteNumber("reasoning_tokens", Usage.ReasoningTokens);
        w.WriteNumber("usd", Usd);
        w.WriteString("source", Source);
        if (!Priced)
            w.WriteBoolean("priced", false);
    }

    /// <exception cref="JsonException">Not a ledger line.</exception>
    public static CostEntry Parse(ReadOnlyMemory<byte> line)
    {
        using var doc = JsonDocument.Parse(line);
        var r = doc.RootElement;
        string S(string name) =>
            r.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
        long L(string name) =>
            r.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : 0;
        var usage = new TokenUsage(
            L("input_tokens"),
            L("output_tokens"),
            L("cached_input_tokens"),
            L("reasoning_tokens"),
            S("source") == "estimated"
        );
        var time = DateTimeOffset.Parse(S("time"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        var usd = r.TryGetProperty("usd", out var u) && u.ValueKind == JsonValueKind.Number ? u.GetDecimal() : 0m;
        var priced = !(r.TryGetProperty("priced", out var p) && p.ValueKind == JsonValueKind.False);
        return new CostEntry(
            time,
            S("workspace"),
            S("chain"),
            S("run"),
            S("agent"),
            (int)L("attempt"),
            (int)L("call"),
            S("provider"),
            S("model"),
            usage,
            usd,
            priced
        );
    }
}
