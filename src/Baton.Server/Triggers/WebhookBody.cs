using System.Text.Json;

namespace Baton.Server.Triggers;

/// <summary>`{{ body.a.b }}` and `{{ body.commits.0.id }}` of a webhook's JSON: a string as itself, any other value as its JSON, a missing one as "".</summary>
internal static class WebhookBody
{
    public static string Resolve(JsonElement body, string reference)
    {
        var value = body;
        foreach (var part in reference.Split('.').Skip(1))
        {
            if (value.ValueKind == JsonValueKind.Object && value.TryGetProperty(part, out var property))
                value = property;
            else if (
                value.ValueKind == JsonValueKind.Array
                && int.TryParse(part, System.Globalization.NumberStyles.None, null, out var index)
                && index < value.GetArrayLength()
            )
                value = value[index];
            else
                return "";
        }
        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Null => "",
            _ => value.GetRawText(),
        };
    }
}
