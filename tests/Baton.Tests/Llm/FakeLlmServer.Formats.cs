using System.Text.Json;

namespace Baton.Tests.Llm;

public sealed partial class FakeLlmServer
{
    private static IEnumerable<string> Pieces(string text)
    {
        for (var i = 0; i < text.Length; i += 7)
            yield return text.Substring(i, Math.Min(7, text.Length - i));
    }

    private static object OpenAiUsage(TextReply r) =>
        new
        {
            prompt_tokens = r.Input,
            completion_tokens = r.Output,
            total_tokens = r.Input + r.Output,
            prompt_tokens_details = new { cached_tokens = r.Cached },
            completion_tokens_details = new { reasoning_tokens = 0 },
        };

    private static string OpenAiJson(TextReply r) =>
        JsonSerializer.Serialize(
            new Dictionary<string, object?>
            {
                ["id"] = "chatcmpl-fake",
                ["object"] = "chat.completion",
                ["created"] = 1_700_000_000,
                ["model"] = "fake-model",
                ["choices"] = new[]
                {
                    new
                    {
                        index = 0,
                        message = new { role = "assistant", content = r.Content },
                        finish_reason = "stop",
                    },
                },
                ["usage"] = r.Usage ? OpenAiUsage(r) : null,
            }
        );

    /// <summary>A text reply as OpenAI streams it (SSE), for another fake to answer with (the https one of ShippedBinary).</summary>
    internal static string OpenAiStream(TextReply r) => string.Concat(OpenAiEvents(r));

    private static IEnumerable<string> OpenAiEvents(TextReply r)
    {
        static string Chunk(object delta, string? finish, object? usage = null, bool noChoices = false) =>
            "data: "
            + JsonSerializer.Serialize(
                new Dictionary<string, object?>
                {
                    ["id"] = "chatcmpl-fake",
                    ["object"] = "chat.completion.chunk",
                    ["created"] = 1_700_000_000,
                    ["model"] = "fake-model",
                    ["choices"] = noChoices
                        ? Array.Empty<object>()
                        : new object[]
                        {
                            new
                            {
                                index = 0,
                                delta,
                                finish_reason = finish,
                            },
                        },
                    ["usage"] = usage,
                }
            )
            + "\n\n";
        yield return Chunk(new { role = "assistant", content = "" }, null);
        foreach (var piece in Pieces(r.Content))
            yield return Chunk(new { content = piece }, null);
        yield return Chunk(new { }, "stop");
        if (r.Usage)
            yield return Chunk(new { }, null, OpenAiUsage(r), noChoices: true);
        yield return "data: [DONE]\n\n";
    }

    private static string AnthropicJson(TextReply r) =>
        JsonSerializer.Serialize(
            new
            {
                id = "msg_fake",
                type = "message",
                role = "assistant",
                model = "claude-fake",
                content = new[] { new { type = "text", text = r.Content } },
                stop_reason = "end_turn",
                stop_sequence = (string?)null,
                usage = new
                {
                    input_tokens = r.Input,
                    output_tokens = r.Output,
                    cache_read_input_tokens = r.Cached,
                    cache_creation_input_tokens = 0,
                },
            }
        );

    private static IEnumerable<string> AnthropicEvents(TextReply r)
    {
        static string Event(string name, object data) => $"event: {name}\ndata: {JsonSerializer.Serialize(data)}\n\n";
        yield return Event(
            "message_start",
            new
            {
                type = "message_start",
                message = new
                {
                    id = "msg_fake",
                    type = "message",
                    role = "assistant",
                    model = "claude-fake",
                    content = Array.Empty<object>(),
                    stop_reason = (string?)null,
                    stop_sequence = (string?)null,
                    usage = new
                    {
                        input_tokens = r.Input,
                        output_tokens = 1,
                        cache_read_input_tokens = r.Cached,
                        cache_creation_input_tokens = 0,
                    },
                },
            }
        );
        yield return Event(
            "content_block_start",
            new
            {
                type = "content_block_start",
                index = 0,
                content_block = new { type = "text", text = "" },
            }
        );
        foreach (var piece in Pieces(r.Content))
            yield return Event(
                "content_block_delta",
                new
                {
                    type = "content_block_delta",
                    index = 0,
                    delta = new { type = "text_delta", text = piece },
                }
            );
        yield return Event("content_block_stop", new { type = "content_block_stop", index = 0 });
        yield return Event(
            "message_delta",
            new
            {
                type = "message_delta",
                delta = new { stop_reason = "end_turn", stop_sequence = (string?)null },
                usage = new { output_tokens = r.Output },
            }
        );
        yield return Event("message_stop", new { type = "message_stop" });
    }

    private static string OllamaFinal(TextReply r, string content) =>
        JsonSerializer.Serialize(
            new Dictionary<string, object?>
            {
                ["model"] = "fake-model",
                ["created_at"] = "2026-01-01T00:00:00Z",
                ["message"] = new { role = "assistant", content },
                ["done"] = true,
                ["done_reason"] = "stop",
                ["prompt_eval_count"] = r.Usage ? r.Input : null,
                ["eval_count"] = r.Usage ? r.Output : null,
            }
        );

    private static IEnumerable<string> OllamaLines(TextReply r)
    {
        foreach (var piece in Pieces(r.Content))
            yield return JsonSerializer.Serialize(
                new
                {
                    model = "fake-model",
                    created_at = "2026-01-01T00:00:00Z",
                    message = new { role = "assistant", content = piece },
                    done = false,
                }
            );
        yield return OllamaFinal(r, "");
    }
}
