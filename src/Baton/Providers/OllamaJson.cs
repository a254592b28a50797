using System.Text.Json;
using System.Text.Json.Serialization;
using OllamaSharp.Models.Chat;

namespace Baton.Providers;

/// <summary>
/// What OllamaSharp serializes for a chat, as generated contracts: without a context it serializes by reflection, which a
/// native `baton` cannot do. <c>format</c> is an object on the wire — "json" or a schema as a JsonElement (output: json).
/// </summary>
[JsonSerializable(typeof(ChatRequest))]
[JsonSerializable(typeof(ChatResponseStream))]
[JsonSerializable(typeof(ChatDoneResponseStream))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(bool))]
internal sealed partial class OllamaJson : JsonSerializerContext;
