using System.Text.Json.Serialization;

namespace Baton.Providers;

// The parts of Anthropic's Messages API that AnthropicChatClient sends and reads, as source-generated contracts
// (snake_case on the wire). Fields Baton does not use are not declared; unknown fields in replies are skipped.

internal sealed record AnthropicRequest(
    string Model,
    int MaxTokens,
    string? System,
    List<AnthropicMessage> Messages,
    bool Stream,
    float? Temperature,
    float? TopP,
    int? TopK,
    List<string>? StopSequences
);

internal sealed record AnthropicMessage(string Role, string Content);

internal sealed record AnthropicReply(
    string? Id,
    string? Model,
    List<AnthropicBlock>? Content,
    string? StopReason,
    AnthropicUsage? Usage
);

internal sealed record AnthropicBlock(string? Type, string? Text);

internal sealed record AnthropicUsage(
    long? InputTokens,
    long? OutputTokens,
    long? CacheReadInputTokens,
    long? CacheCreationInputTokens
);

/// <summary>One server-sent event of a streamed reply: message_start, content_block_delta, message_delta, error, …</summary>
internal sealed record AnthropicStreamEvent(
    string? Type,
    AnthropicReply? Message,
    AnthropicDelta? Delta,
    AnthropicUsage? Usage,
    AnthropicError? Error
);

internal sealed record AnthropicDelta(string? Type, string? Text, string? StopReason);

internal sealed record AnthropicError(string? Type, string? Message);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull
)]
[JsonSerializable(typeof(AnthropicRequest))]
[JsonSerializable(typeof(AnthropicReply))]
[JsonSerializable(typeof(AnthropicStreamEvent))]
internal sealed partial class AnthropicJson : JsonSerializerContext;
