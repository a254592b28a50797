using System.Text.Json.Serialization;
using Baton.Server.Auth;

namespace Baton.Server;

[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(List<TokenStore.TokenRecord>))]
internal sealed partial class ServerJson : JsonSerializerContext;
