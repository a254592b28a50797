using System.Globalization;
using System.Text.Json.Nodes;
using Baton.Chains;
using Json.Schema;
using YamlDotNet.RepresentationModel;

namespace Baton.Assertions;

/// <summary>
/// Reads a YAML list of assertions (`assert:` of a test case, or monitoring `checks:`), reporting
/// every problem located at file:line:col; a wrong assertion is left out, never half-read.
/// </summary>
internal static class AssertionReader
{
    private static readonly string[] Keys = ["type", "value", "threshold", "agent", "provider"];

    public static List<Assertion> ReadList(YamlNode node, YamlReader read, string where) =>
        read.List(node, where, "assertions", item => Read(item, read, where));

    public static Assertion? Read(YamlNode node, YamlReader read, string where)
    {
        if (read.Map(node, $"each entry of {where}") is not { } map)
            return null;
        YamlNode? typeNode = null,
            valueNode = null,
            thresholdNode = null;
        string? agent = null,
            provider = null;
        var errorsBefore = read.Errors.Count;
        foreach (var (key, name, entry) in read.Entries(map, where))
        {
            switch (name)
            {
                case "type":
                    typeNode = entry;
                    break;
                case "value":
                    valueNode = entry;
                    break;
                case "threshold":
                    thresholdNode = entry;
                    break;
                case "agent":
                    agent = read.Text(entry, "agent");
                    break;
                case "provider":
                    provider = read.Text(entry, "provider");
                    break;
                default:
                    read.UnknownKey(key, $"an assertion of {where}", Keys);
                    break;
            }
        }
        if (typeNode is null)
        {
            read.Errors.Add(
                map,
                $"an assertion of {where} needs 'type' (one of: {string.Join(", ", AssertionKinds.Names)}, each also with 'not-')"
            );
            return null;
        }
        if (read.Text(typeNode, "type") is not { } type)
            return null;
        if (AssertionKinds.Parse(type) is not var (kind, negated))
        {
            read.Errors.Add(
                typeNode,
                $"unknown assertion type '{type}'{read.Errors.Hint(type, AssertionKinds.Names)} (known: {string.Join(", ", AssertionKinds.Names)}, each also with 'not-')"
            );
            return null;
        }
        var value = valueNode is null || YamlReader.IsNull(valueNode) ? null : Value(valueNode, read, type);
        double? threshold = thresholdNode is null ? null : Number(thresholdNode, read, "threshold");
        if (AssertionKinds.NeedsValue(kind) && value is null)
            read.Errors.Add(map, $"assertion '{type}' needs a 'value'");
        if (
            AssertionKinds.IsLimit(kind)
            && threshold is null
            && (valueNode is null || Number(valueNode, read, "value") is null)
        )
            read.Errors.Add(
                map,
                $"assertion '{type}' needs a 'threshold' (the most it may be: {(kind == AssertionKind.Cost ? "USD" : "milliseconds")})"
            );
        if (kind is AssertionKind.IsJson or AssertionKind.ContainsJson && value is not null)
            CheckSchema(value, valueNode!, read, type);
        if (kind == AssertionKind.Regex && value is not null)
            CheckRegex(AssertionEvaluator.Text(value), valueNode!, read);
        if (provider is not null && kind != AssertionKind.LlmRubric)
            read.Errors.Add(map, $"'provider' (the judge model) applies to llm-rubric only, not '{type}'");
        if (read.Errors.Count > errorsBefore)
            return null;
        return new Assertion(kind, negated, value, threshold, agent) { Provider = provider };
    }

    private static JsonNode? Value(YamlNode node, YamlReader read, string type)
    {
        if (node is YamlScalarNode { Value: { } text })
            return JsonValue.Create(text); // a scalar is the text written, so `value: 42` means the characters 42
        if (YamlJson.Convert(node, out var problem) is { } json)
            return JsonNode.Parse(json);
        read.Errors.Add(node, $"the value of '{type}' is {problem}");
        return null;
    }

    private static double? Number(YamlNode node, YamlReader read, string what)
    {
        if (
            node is YamlScalarNode { Value: { } text }
            && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            && d >= 0
        )
            return d;
        read.Errors.Add(node, $"{what} must be a number ≥ 0");
        return null;
    }

    private static void CheckSchema(JsonNode value, YamlNode node, YamlReader read, string type)
    {
        try
        {
            var text = value is JsonValue v && v.TryGetValue<string>(out var s) ? s : value.ToJsonString();
            JsonSchema.FromText(text, new BuildOptions { SchemaRegistry = new SchemaRegistry() });
        }
        catch (Exception e)
            when (e
                    is System.Text.Json.JsonException
                        or JsonSchemaException
                        or ArgumentException
                        or InvalidOperationException
            )
        {
            read.Errors.Add(node, $"the value of '{type}' must be a JSON Schema: {e.Message}");
        }
    }

    private static void CheckRegex(string pattern, YamlNode node, YamlReader read)
    {
        try
        {
            _ = new System.Text.RegularExpressions.Regex(pattern);
        }
        catch (ArgumentException e)
        {
            read.Errors.Add(node, $"regex /{pattern}/ is invalid: {e.Message}");
        }
    }
}
