using Microsoft.Extensions.AI;

namespace Baton.Providers;

/// <summary>
/// A 200 whose body the SDK found nothing in — a plain JSON completion answering a streaming
/// request (some proxies do that), an empty body, a stream of keep-alives only. Without this check
/// it became an empty output and the agent was `done`; now the call fails and says what came.
/// </summary>
internal static class UnreadableReply
{
    /// <summary>A reply says something when any update carries content (text, usage, a tool call) or a finish reason.</summary>
    public static bool HasReply(IEnumerable<ChatResponseUpdate> updates) =>
        updates.Any(u => u.FinishReason is not null || u.Contents.Any(Says));

    public static bool HasReply(ChatResponse response) =>
        response.FinishReason is not null
        || response.Usage is not null
        || response.Messages.Any(m => m.Contents.Any(Says));

    private static bool Says(AIContent content) => content is not TextContent { Text.Length: 0 };

    public static bool IsStream(CallRecorder recorder) =>
        recorder.ContentType is "text/event-stream" or "application/x-ndjson";

    public static ProviderException Exception(
        ResolvedProvider provider,
        CallRecorder recorder,
        bool streaming,
        Exception? inner = null
    )
    {
        var body = recorder.ResponseText;
        var came =
            body.Trim().Length == 0 ? "nothing (an empty body)"
            : streaming && !IsStream(recorder)
                ? $"a {recorder.ContentType ?? "untyped"} body instead of an event stream; if a proxy in between does not stream, set `stream: false` for provider '{provider.Alias}' in baton.yaml"
            : IsStream(recorder) ? "no event with a reply in its stream"
            : $"a {recorder.ContentType ?? "untyped"} body without a reply in it";
        var sdk = inner is null ? "" : $" ({inner.GetType().Name}: {inner.Message})";
        return new ProviderException(
            "provider",
            $"provider '{provider.Alias}' answered {recorder.Status ?? 200} with no reply Baton could read: {came}{sdk}",
            recorder.Status,
            inner
        );
    }
}
