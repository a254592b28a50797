using System.Globalization;
using System.Text.Json;

namespace Baton.Monitoring;

/// <summary>
/// One monitoring alert: a line of the workspace's .baton/alerts.jsonl (docs/monitoring.md). Type is one of
/// cost_spike, cost_trend, prompt_tokens_spike, retries_spike, latency, error_rate, circuit_open. Agent and
/// Factor say what grew (Factor: prompt_tokens, output_tokens, retries, model); Value and Baseline are the
/// two numbers compared.
/// </summary>
public sealed record Alert(DateTimeOffset Time, string Type, string Message)
{
    public string? Chain { get; init; }
    public string? Run { get; init; }
    public string? Agent { get; init; }
    public string? Factor { get; init; }
    public string? Provider { get; init; }
    public string? Model { get; init; }
    public double? Value { get; init; }
    public double? Baseline { get; init; }

    /// <summary>What makes two alerts the same condition (for not repeating one while it lasts).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Key => $"{Type}|{Chain}|{Provider}|{Model}";

    public byte[] ToJson(bool line = true)
    {
        return JsonLines.Write(
            Time,
            w =>
            {
                w.WriteString("type", Type);
                void S(string name, string? value)
                {
                    if (value is not null)
                        w.WriteString(name, value);
                }
                void N(string name, double? value)
                {
                    if (value is { } v)
                        w.WriteNumber(name, Math.Round(v, 6));
                }
                S("chain", Chain);
                S("run", Run);
                S("agent", Agent);
                S("factor", Factor);
                S("provider", Provider);
                S("model", Model);
                N("value", Value);
                N("baseline", Baseline);
                w.WriteString("message", Message);
            },
            line
        );
    }

    /// <exception cref="JsonException">Not an alert line.</exception>
    public static Alert Parse(string line)
    {
        using var doc = JsonDocument.Parse(line);
        var r = doc.RootElement;
        string? S(string name) =>
            r.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        double? N(string name) =>
            r.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
        return new Alert(
            DateTimeOffset.Parse(S("time") ?? "", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
            S("type") ?? "",
            S("message") ?? ""
        )
        {
            Chain = S("chain"),
            Run = S("run"),
            Agent = S("agent"),
            Factor = S("factor"),
            Provider = S("provider"),
            Model = S("model"),
            Value = N("value"),
            Baseline = N("baseline"),
        };
    }
}
