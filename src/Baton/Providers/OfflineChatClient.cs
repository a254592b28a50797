using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Baton.Costs;
using Microsoft.Extensions.AI;

namespace Baton.Providers;

/// <summary>
/// The built-in provider that calls no model (SPEC §1), so examples and tests run anywhere. Its
/// replies are deterministic (same prompt, same reply) and clearly labelled: text starts with
/// "[offline]"; JSON replies satisfy the requested schema and carry "[offline]" in their strings.
/// Token counts are estimates (TokenCounter.Estimate: no tokenizer to load); it costs nothing.
/// </summary>
public sealed class OfflineChatClient : IChatClient
{
    public const string Label = "[offline]";

    public async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        CancellationToken cancellationToken = default
    )
    {
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in GetStreamingResponseAsync(messages, options, cancellationToken))
            updates.Add(update);
        return updates.ToChatResponse();
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default
    )
    {
        var list = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
        var promptTokens = 0;
        foreach (var message in list)
            promptTokens += TokenCounter.Estimate(message.Text);
        var reply = Reply(list, options?.ResponseFormat, promptTokens);
        var usage = new UsageDetails
        {
            InputTokenCount = promptTokens,
            OutputTokenCount = TokenCounter.Estimate(reply),
        };
        usage.TotalTokenCount = usage.InputTokenCount + usage.OutputTokenCount;
        Record(list, options, reply, usage);
        await Task.Yield();
        foreach (var piece in Pieces(reply))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new ChatResponseUpdate(ChatRole.Assistant, piece) { ModelId = "offline" };
        }
        yield return new ChatResponseUpdate
        {
            Role = ChatRole.Assistant,
            Contents = [new UsageContent(usage)],
            FinishReason = ChatFinishReason.Stop,
            ModelId = "offline",
        };
    }

    internal static string Reply(IReadOnlyList<ChatMessage> messages, ChatResponseFormat? format) =>
        Reply(messages, format, messages.Sum(m => TokenCounter.Estimate(m.Text)));

    private static string Reply(IReadOnlyList<ChatMessage> messages, ChatResponseFormat? format, int promptTokens)
    {
        if (format is ChatResponseFormatJson json)
        {
            var generated = json.Schema is { } schema
                ? OfflineJson.FromSchema(schema, "value", 0)
                : new JsonObject { ["reply"] = Label };
            return generated?.ToJsonString() ?? "null";
        }
        var prompt = messages.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? "";
        var firstLine = FirstLine(prompt);
        if (firstLine.Length > 120)
            firstLine = firstLine[..120] + "…";
        return $"{Label} No model was called. This placeholder answers a {promptTokens}-token prompt that begins: \"{firstLine}\"";
    }

    /// <summary>The first line with text, trimmed (lines split at '\n' only), without splitting the whole prompt.</summary>
    private static string FirstLine(string text)
    {
        for (var rest = text.AsSpan(); ; )
        {
            var end = rest.IndexOf('\n');
            var line = (end < 0 ? rest : rest[..end]).Trim();
            if (!line.IsEmpty)
                return line.ToString();
            if (end < 0)
                return "";
            rest = rest[(end + 1)..];
        }
    }

    private static IEnumerable<string> Pieces(string text)
    {
        for (var i = 0; i < text.Length; i += 32)
            yield return text.Substring(i, Math.Min(32, text.Length - i));
    }

    private static void Record(
        IReadOnlyList<ChatMessage> messages,
        ChatOptions? options,
        string reply,
        UsageDetails usage
    )
    {
        if (CallRecorder.Current is not { } recorder)
            return;
        // Written as JSON straight away (the record re-indents both): a JsonNode tree of each and its text cost
        // an offline call more than the rest of its reply.
        using var scratch = ScratchJson.Rent(default);
        var w = scratch.Writer;
        w.WriteStartObject();
        w.WriteString("model", "offline");
        w.WriteStartArray("messages");
        foreach (var message in messages)
        {
            w.WriteStartObject();
            w.WriteString("role", message.Role.Value);
            w.WriteString("content", message.Text);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (options?.ResponseFormat is ChatResponseFormatJson { Schema: { } schema })
        {
            w.WritePropertyName("response_format");
            schema.WriteTo(w);
        }
        w.WriteEndObject();
        recorder.SetRequest("offline:", Encoding.UTF8.GetString(scratch.Written()));
        scratch.Clear();
        w.WriteStartObject();
        w.WriteString("model", "offline");
        w.WriteString("content", reply);
        w.WriteStartObject("usage");
        w.WriteNumber("input_tokens", usage.InputTokenCount ?? 0);
        w.WriteNumber("output_tokens", usage.OutputTokenCount ?? 0);
        w.WriteEndObject();
        w.WriteEndObject();
        recorder.SetResponse(200, "application/json", scratch.Written());
        recorder.AddAttempt(new CallAttempt(200, null, 0));
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose() { }
}

/// <summary>The smallest plausible JSON value for a schema: enough for the simple schemas chains use.</summary>
internal static class OfflineJson
{
    private const int MaxDepth = 16;

    public static JsonNode? FromSchema(JsonElement schema, string name, int depth)
    {
        if (schema.ValueKind != JsonValueKind.Object || depth > MaxDepth)
            return JsonValue.Create($"{OfflineChatClient.Label} {name}");
        if (schema.TryGetProperty("const", out var constant))
            return JsonNode.Parse(constant.GetRawText());
        if (
            schema.TryGetProperty("enum", out var values)
            && values.ValueKind == JsonValueKind.Array
            && values.GetArrayLength() > 0
        )
            return JsonNode.Parse(values[0].GetRawText());
        if (schema.TryGetProperty("default", out var fallback))
            return JsonNode.Parse(fallback.GetRawText());
        foreach (var branch in (string[])["anyOf", "oneOf"])
            if (
                schema.TryGetProperty(branch, out var options)
                && options.ValueKind == JsonValueKind.Array
                && options.GetArrayLength() > 0
            )
                return FromSchema(options[0], name, depth + 1);
        if (schema.TryGetProperty("allOf", out var all) && all.ValueKind == JsonValueKind.Array)
        {
            var merged = new JsonObject();
            foreach (var part in all.EnumerateArray())
                if (FromSchema(part, name, depth + 1) is JsonObject o)
                    foreach (var (k, v) in o.ToList())
                    {
                        o.Remove(k);
                        merged[k] = v;
                    }
            return merged;
        }
        return Type(schema) switch
        {
            "object" => Object(schema, depth),
            "array" => Array(schema, name, depth),
            "integer" => JsonValue.Create(Minimum(schema)),
            "number" => JsonValue.Create(Minimum(schema)),
            "boolean" => JsonValue.Create(true),
            "null" => null,
            _ => JsonValue.Create(Text(schema, name)),
        };
    }

    private static string? Type(JsonElement schema)
    {
        if (schema.TryGetProperty("type", out var type))
        {
            if (type.ValueKind == JsonValueKind.String)
                return type.GetString();
            if (type.ValueKind == JsonValueKind.Array)
                return type.EnumerateArray().Select(t => t.GetString()).FirstOrDefault(t => t != "null") ?? "null";
        }
        return schema.TryGetProperty("properties", out _) ? "object"
            : schema.TryGetProperty("items", out _) ? "array"
            : "string";
    }

    private static JsonObject Object(JsonElement schema, int depth)
    {
        var result = new JsonObject();
        if (schema.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object)
            foreach (var property in properties.EnumerateObject())
                result[property.Name] = FromSchema(property.Value, property.Name, depth + 1);
        return result;
    }

    private static JsonArray Array(JsonElement schema, string name, int depth)
    {
        var count =
            schema.TryGetProperty("minItems", out var min) && min.TryGetInt32(out var m) ? Math.Clamp(m, 1, 16) : 1;
        var items = schema.TryGetProperty("items", out var i) ? i : default;
        var array = new JsonArray();
        for (var n = 0; n < count; n++)
            array.Add(FromSchema(items, $"{name} {n + 1}", depth + 1));
        return array;
    }

    private static long Minimum(JsonElement schema) =>
        schema.TryGetProperty("minimum", out var min) && min.TryGetDouble(out var value) ? (long)Math.Ceiling(value)
        : schema.TryGetProperty("exclusiveMinimum", out var ex) && ex.TryGetDouble(out var exclusive)
            ? (long)Math.Floor(exclusive) + 1
        : 0;

    private static string Text(JsonElement schema, string name)
    {
        var text = $"{OfflineChatClient.Label} {name}";
        if (schema.TryGetProperty("minLength", out var min) && min.TryGetInt32(out var m) && text.Length < m)
            text = text.PadRight(m, '.');
        if (schema.TryGetProperty("maxLength", out var max) && max.TryGetInt32(out var x) && text.Length > x)
            text = text[..Math.Max(0, x)];
        return text;
    }
}
