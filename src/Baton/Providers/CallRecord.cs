using System.Globalization;
using System.Text;
using System.Text.Json;
using Baton.Costs;
using Baton.Secrets;

namespace Baton.Providers;

/// <summary>
/// agents/&lt;name&gt;/call-NNN.json: one LLM call as a person audits it (docs/llm.md, "Records") — the
/// provider, the attempts, the request and response bodies as JSON (an SSE reply as the list of its
/// events' data), the reply, usage and cost, the error. Every workspace secret is masked in it.
/// </summary>
/// <remarks>
/// Written straight into one buffer: each body is parsed only to check it is JSON and is copied from
/// its document (re-indented), never built into a node tree and serialized again.
/// </remarks>
internal static class CallRecord
{
    /// <summary>
    /// A call's record beside the agent's output: agents/&lt;agent&gt;/call-001.json. Until December 2026 the records were
    /// in a calls/ folder of their own (calls/001.json), one more folder made per prompt agent of every run for it.
    /// </summary>
    public static string FileName(int number) => $"call-{number:000}.json";

    /// <summary>What the agent knows of the call besides what its <see cref="CallRecorder"/> saw on the wire.</summary>
    public sealed record Call(
        int Number,
        ResolvedProvider Provider,
        DateTimeOffset Started,
        long Milliseconds,
        string Reply,
        CostEntry? Entry,
        (string Reason, string Message)? Error
    );

    internal static readonly JsonWriterOptions Format = new()
    {
        Indented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The record's bytes: indented JSON and a newline (UTF-8, no byte-order mark).</summary>
    public static byte[] Build(Call call, CallRecorder recorder, SecretMasker masker)
    {
        using var scratch = ScratchJson.Rent(Format);
        return Write(call, recorder, masker, scratch).ToArray();
    }

    /// <summary>
    /// The record's bytes, in <paramref name="scratch"/>'s buffer (no copy) — or, when a workspace secret was
    /// masked, in an array of their own.
    /// </summary>
    public static ReadOnlySpan<byte> Write(Call call, CallRecorder recorder, SecretMasker masker, ScratchJson scratch)
    {
        var w = scratch.Writer;
        {
            w.WriteStartObject();
            w.WriteNumber("call", call.Number);
            w.WriteString("provider", call.Provider.Alias);
            w.WriteString("type", call.Provider.Type);
            w.WriteString("model", call.Provider.Model);
            w.WriteString("url", recorder.Url is { } url ? masker.Apply(url) : null);
            w.WriteString(
                "started",
                call.Started.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)
            );
            w.WriteNumber("duration_ms", call.Milliseconds);
            w.WriteStartArray("attempts");
            foreach (var attempt in recorder.Attempts.ToList())
            {
                w.WriteStartObject();
                Number(w, "status", attempt.Status);
                w.WriteString("error", attempt.Error is null ? null : masker.Apply(attempt.Error));
                w.WriteNumber("ms", attempt.Milliseconds);
                Number(w, "retry_after_ms", attempt.RetryInMilliseconds);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WritePropertyName("request");
            Body(w, recorder.RequestBody, masker);
            w.WriteStartObject("response");
            Number(w, "status", recorder.Status);
            w.WriteString("content_type", recorder.ContentType);
            w.WritePropertyName("body");
            if (recorder.ContentType == "text/event-stream")
                ServerSentEvents(w, recorder.ResponseText, masker);
            else
                Body(w, recorder.ResponseText, masker);
            if (recorder.Truncated)
                w.WriteBoolean("truncated", true);
            else
                w.WriteNull("truncated");
            w.WriteEndObject();
            w.WriteString("reply", masker.Apply(call.Reply));
            if (call.Entry is { } entry)
            {
                w.WriteStartObject("usage");
                w.WriteNumber("input_tokens", entry.Usage.InputTokens);
                w.WriteNumber("output_tokens", entry.Usage.OutputTokens);
                w.WriteNumber("cached_input_tokens", entry.Usage.CachedInputTokens);
                w.WriteNumber("reasoning_tokens", entry.Usage.ReasoningTokens);
                w.WriteString("source", entry.Source);
                w.WriteEndObject();
                w.WriteNumber("cost_usd", entry.Usd);
            }
            if (call.Error is { } e)
            {
                w.WriteStartObject("error");
                w.WriteString("reason", e.Reason);
                w.WriteString("message", masker.Apply(e.Message));
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        var written = scratch.Written("\n"u8);
        // Each part was masked as it came; the whole once more catches a secret that only JSON escaping changed
        // into one of its masked forms (or out of one).
        return masker.IsEmpty ? written : Encoding.UTF8.GetBytes(masker.Apply(Encoding.UTF8.GetString(written)));
    }

    private static void Number(Utf8JsonWriter w, string name, long? value)
    {
        if (value is { } v)
            w.WriteNumber(name, v);
        else
            w.WriteNull(name);
    }

    /// <summary>A body as JSON when it is JSON (the usual case), else as a string, so the record is always readable.</summary>
    private static void Body(Utf8JsonWriter w, string? body, SecretMasker masker)
    {
        if (string.IsNullOrEmpty(body))
        {
            w.WriteNullValue();
            return;
        }
        var masked = masker.Apply(body);
        if (!MayBeJson(masked))
        {
            w.WriteStringValue(masked);
            return;
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(masked);
        }
        catch (JsonException)
        {
            w.WriteStringValue(masked);
            return;
        }
        using (document)
            document.RootElement.WriteTo(w);
    }

    /// <summary>
    /// False for what is plainly not JSON — HTML, plain text, OpenAI's `[DONE]` at the end of every stream — so
    /// the usual non-JSON bodies are written as text without a parse that fails by throwing (~30 µs each).
    /// </summary>
    private static bool MayBeJson(string text)
    {
        var start = text.AsSpan().TrimStart();
        if (start.IsEmpty || start.SequenceEqual("[DONE]"))
            return false;
        return start[0] is '{' or '[' or '"' or '-' or (>= '0' and <= '9') or 't' or 'f' or 'n';
    }

    /// <summary>An SSE reply as the list of its events' data, each parsed when it is JSON.</summary>
    private static void ServerSentEvents(Utf8JsonWriter w, string body, SecretMasker masker)
    {
        w.WriteStartArray();
        foreach (var range in body.AsSpan().Split('\n'))
        {
            var line = body.AsSpan(range);
            if (!line.StartsWith("data:", StringComparison.Ordinal))
                continue;
            var data = line[5..].Trim();
            if (data.Length > 0)
                Body(w, data.ToString(), masker);
        }
        w.WriteEndArray();
    }
}
