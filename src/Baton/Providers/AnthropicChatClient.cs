using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Baton.Providers;

/// <summary>
/// Anthropic's Messages API (<c>POST /v1/messages</c>, version 2023-06-01) as an <see cref="IChatClient"/>: text
/// messages in, text and usage out, streamed (server-sent events) or not. Written here rather than taken from the
/// `Anthropic` SDK because that SDK serializes its models by reflection and fails in a native (AOT) build, which is
/// how `baton` is published (docs/performance.md, finding 54). A prompt agent sends only text, so this is all of the
/// API Baton uses; errors, retries, rate limits and the call record are the <see cref="ResilientHandler"/>'s, under
/// the HttpClient, as for every provider.
/// </summary>
internal sealed class AnthropicChatClient(HttpClient http, string baseUrl, string apiKey, string model, int maxTokens)
    : IChatClient
{
    private const string ApiVersion = "2023-06-01";
    private readonly Uri _messages = new(baseUrl.TrimEnd('/') + "/v1/messages");

    public async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        CancellationToken cancellationToken = default
    )
    {
        using var request = Request(messages, options, stream: false);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        AnthropicReply? reply;
        try
        {
            reply = JsonSerializer.Deserialize(body, AnthropicJson.Default.AnthropicReply);
        }
        catch (JsonException)
        {
            reply = null; // not JSON: an empty response, which the caller reports as a reply it could not read
        }
        if (reply is null)
            return new ChatResponse([]);
        var text = string.Concat(reply.Content?.Where(b => b.Type == "text").Select(b => b.Text) ?? []);
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, text))
        {
            ResponseId = reply.Id,
            ModelId = reply.Model,
            FinishReason = Finish(reply.StopReason),
            Usage = Usage(reply.Usage, null),
        };
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default
    )
    {
        using var request = Request(messages, options, stream: true);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        AnthropicUsage? started = null;
        AnthropicUsage? finished = null;
        string? id = null;
        string? modelId = null;
        string? stopReason = null;
        await foreach (var item in SseParser.Create(body).EnumerateAsync(cancellationToken))
        {
            AnthropicStreamEvent? e;
            try
            {
                e = JsonSerializer.Deserialize(item.Data, AnthropicJson.Default.AnthropicStreamEvent);
            }
            catch (JsonException)
            {
                continue; // not an event of this API; a stream with none is reported by the caller
            }
            switch (e?.Type)
            {
                case "message_start":
                    started = e.Message?.Usage;
                    id = e.Message?.Id;
                    modelId = e.Message?.Model;
                    break;
                case "content_block_delta" when e.Delta is { Type: "text_delta", Text: { Length: > 0 } text }:
                    yield return new ChatResponseUpdate(ChatRole.Assistant, text)
                    {
                        ResponseId = id,
                        ModelId = modelId,
                    };
                    break;
                case "message_delta":
                    stopReason = e.Delta?.StopReason ?? stopReason;
                    finished = e.Usage ?? finished;
                    break;
                case "error":
                    throw new ProviderException(
                        "provider",
                        $"the provider ended its reply with an error: {e.Error?.Message ?? e.Error?.Type ?? "(no message)"}"
                    );
            }
        }
        if (started is null && finished is null && stopReason is null)
            yield break;
        yield return new ChatResponseUpdate
        {
            Role = ChatRole.Assistant,
            ResponseId = id,
            ModelId = modelId,
            FinishReason = Finish(stopReason),
            Contents = Usage(started, finished) is { } usage ? [new UsageContent(usage)] : [],
        };
    }

    private HttpRequestMessage Request(IEnumerable<ChatMessage> messages, ChatOptions? options, bool stream)
    {
        var system = new List<string>();
        var turns = new List<AnthropicMessage>();
        foreach (var message in messages)
        {
            if (message.Role == ChatRole.System)
                system.Add(message.Text);
            else
                turns.Add(
                    new AnthropicMessage(message.Role == ChatRole.Assistant ? "assistant" : "user", message.Text)
                );
        }
        if (options?.Instructions is { } instructions)
            system.Add(instructions);
        var body = new AnthropicRequest(
            options?.ModelId ?? model,
            options?.MaxOutputTokens ?? maxTokens,
            system.Count == 0 ? null : string.Join("\n\n", system),
            turns,
            stream,
            options?.Temperature,
            options?.TopP,
            options?.TopK,
            options?.StopSequences is { Count: > 0 } stops ? [.. stops] : null
        );
        var request = new HttpRequestMessage(HttpMethod.Post, _messages)
        {
            Content = new ByteArrayContent(
                JsonSerializer.SerializeToUtf8Bytes(body, AnthropicJson.Default.AnthropicRequest)
            ),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("x-api-key", apiKey);
        request.Headers.Add("anthropic-version", ApiVersion);
        request.Headers.Accept.Add(
            new MediaTypeWithQualityHeaderValue(stream ? "text/event-stream" : "application/json")
        );
        return request;
    }

    /// <summary>
    /// Anthropic counts cache reads and cache writes apart from <c>input_tokens</c>; Baton's input count includes
    /// them (docs/llm.md), with the reads as cached input. A stream reports input at its start and output at its end.
    /// </summary>
    private static UsageDetails? Usage(AnthropicUsage? start, AnthropicUsage? end)
    {
        if (start is null && end is null)
            return null;
        long? Latest(Func<AnthropicUsage, long?> field) =>
            (end is null ? null : field(end)) ?? (start is null ? null : field(start));
        var cacheRead = Latest(u => u.CacheReadInputTokens) ?? 0;
        var cacheWrite = Latest(u => u.CacheCreationInputTokens) ?? 0;
        var input = Latest(u => u.InputTokens);
        return new UsageDetails
        {
            InputTokenCount = input is null ? null : input + cacheRead + cacheWrite,
            OutputTokenCount = Latest(u => u.OutputTokens),
            CachedInputTokenCount = cacheRead,
        };
    }

    private static ChatFinishReason? Finish(string? stopReason) =>
        stopReason switch
        {
            null => null,
            "end_turn" or "stop_sequence" => ChatFinishReason.Stop,
            "max_tokens" or "model_context_window_exceeded" => ChatFinishReason.Length,
            "tool_use" => ChatFinishReason.ToolCalls,
            "refusal" => ChatFinishReason.ContentFilter,
            _ => new ChatFinishReason(stopReason),
        };

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose() { } // the HttpClient is the provider pool's
}
