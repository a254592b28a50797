using System.Text.Json;
using Json.Schema;

namespace Baton.Agents;

/// <summary>`output: json` replies (SPEC §2): parse, then check against the agent's `schema:`.</summary>
internal static class JsonReply
{
    /// <summary>Models often wrap JSON in a ```json fence despite being asked not to; that much is forgiven.</summary>
    public static string Unfence(string reply)
    {
        var text = reply.Trim();
        if (!text.StartsWith("```", StringComparison.Ordinal))
            return text;
        var firstNewline = text.IndexOf('\n', StringComparison.Ordinal);
        if (firstNewline < 0 || !text.EndsWith("```", StringComparison.Ordinal) || text.Length < firstNewline + 4)
            return text;
        return text[(firstNewline + 1)..^3].Trim();
    }

    /// <summary>Null when the reply is valid JSON satisfying the schema; else what is wrong, for the model and for a person.</summary>
    public static string? Problem(string json, string? schemaText)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            return $"the reply is not valid JSON ({e.Message})";
        }
        using (document)
        {
            if (schemaText is null)
                return null;
            // A private registry per schema: the global one would reject a second schema with the same $id.
            var schema = JsonSchema.FromText(schemaText, new BuildOptions { SchemaRegistry = new SchemaRegistry() });
            var results = schema.Evaluate(
                document.RootElement,
                new EvaluationOptions { OutputFormat = OutputFormat.List }
            );
            if (results.IsValid)
                return null;
            var errors = (results.Details ?? [])
                .Where(d => d.Errors is { Count: > 0 })
                .SelectMany(d =>
                    d.Errors!.Select(e =>
                        $"{(d.InstanceLocation.ToString() is { Length: > 0 } at ? at : "/")}: {e.Value}"
                    )
                )
                .Distinct()
                .Take(10)
                .ToList();
            if (errors.Count == 0 && results.Errors is { Count: > 0 } top)
                errors.AddRange(top.Select(e => $"/: {e.Value}"));
            return "the reply does not match the schema: " + (errors.Count > 0 ? string.Join("; ", errors) : "invalid");
        }
    }
}
