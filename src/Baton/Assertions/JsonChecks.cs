using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Baton.Agents;

namespace Baton.Assertions;

/// <summary>is-json and contains-json; a `value` is a JSON Schema the JSON must satisfy (JsonSchema.Net, as for `output: json`).</summary>
internal static class JsonChecks
{
    public static AssertionResult IsJson(string output, JsonNode? schema)
    {
        var problem = JsonReply.Problem(output.Trim(), SchemaText(schema));
        return problem is null
            ? AssertionResult.Passed(schema is null ? "output is JSON" : "output is JSON matching the schema")
            : AssertionResult.Failed(problem.Replace("the reply", "output", StringComparison.Ordinal));
    }

    /// <summary>Passes when some JSON object or array inside the output (e.g. after prose) parses and, given a schema, satisfies it.</summary>
    public static AssertionResult ContainsJson(string output, JsonNode? schema)
    {
        var schemaText = SchemaText(schema);
        string? lastProblem = null;
        foreach (var candidate in Candidates(output))
        {
            lastProblem = JsonReply.Problem(candidate, schemaText);
            if (lastProblem is null)
                return AssertionResult.Passed(
                    schema is null ? "output contains JSON" : "output contains JSON matching the schema"
                );
        }
        return AssertionResult.Failed(
            lastProblem is null
                ? "output contains no JSON object or array"
                : "output contains no JSON matching the schema; last found: "
                    + lastProblem.Replace("the reply", "it", StringComparison.Ordinal)
        );
    }

    private static string? SchemaText(JsonNode? schema) =>
        schema switch
        {
            null => null,
            JsonValue v when v.TryGetValue<string>(out var text) => text,
            _ => schema.ToJsonString(),
        };

    /// <summary>Each complete JSON object or array starting at a '{' or '[' of the output, in order.</summary>
    private static IEnumerable<string> Candidates(string output)
    {
        var bytes = Encoding.UTF8.GetBytes(output);
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] is not ((byte)'{' or (byte)'['))
                continue;
            var end = EndOfValue(bytes, i);
            if (end > i)
            {
                yield return Encoding.UTF8.GetString(bytes, i, end - i);
                i = end - 1;
            }
        }
    }

    private static int EndOfValue(byte[] bytes, int start)
    {
        var reader = new Utf8JsonReader(
            bytes.AsSpan(start),
            new JsonReaderOptions { AllowMultipleValues = true, CommentHandling = JsonCommentHandling.Skip }
        );
        try
        {
            return reader.Read() && reader.TrySkip() ? start + (int)reader.BytesConsumed : -1;
        }
        catch (JsonException)
        {
            return -1;
        }
    }
}
