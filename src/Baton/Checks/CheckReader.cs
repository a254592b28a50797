using System.Globalization;
using Baton.Assertions;
using Baton.Chains;
using YamlDotNet.RepresentationModel;

namespace Baton.Checks;

/// <summary>
/// Reads an agent's `checks:` list. `on_fail` and `weight` are this reader's; `length` takes `min`/`max`;
/// everything else is handed to AssertionReader as it is, so assertion errors read as they do in `baton test`.
/// </summary>
internal static class CheckReader
{
    public static List<QualityCheck> ReadList(YamlNode node, YamlReader read, string where) =>
        read.List(node, where, "checks", item => Read(item, read, where));

    private static QualityCheck? Read(YamlNode node, YamlReader read, string where)
    {
        if (read.Map(node, $"each entry of {where}") is not { } map)
            return null;
        var onFail = OnFail.Warn;
        var weight = 1.0;
        YamlNode? min = null,
            max = null,
            run = null;
        string? type = null;
        var rest = new List<KeyValuePair<YamlNode, YamlNode>>();
        foreach (var (key, name, value) in read.Entries(map, where))
        {
            switch (name)
            {
                case "on_fail":
                    onFail = read.Text(value, "'on_fail'") switch
                    {
                        "warn" => OnFail.Warn,
                        "fail" => OnFail.Fail,
                        "retry" => OnFail.Retry,
                        var other => Bad(read, value, $"'on_fail' is warn, fail or retry, not '{other}'", OnFail.Warn),
                    };
                    break;
                case "weight":
                    weight =
                        value is YamlScalarNode { Value: { } w }
                        && double.TryParse(w, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed)
                        && parsed > 0
                            ? parsed
                            : Bad(read, value, "'weight' must be a number above 0", 1.0);
                    break;
                case "min":
                    min = value;
                    break;
                case "max":
                    max = value;
                    break;
                case "run":
                    run = value;
                    break;
                default:
                    if (name == "type")
                        type = (value as YamlScalarNode)?.Value;
                    rest.Add(new(key, value));
                    break;
            }
        }
        if (run is not null || type == "run")
        {
            var script = run is null ? null : read.Text(run, "'run'");
            if (string.IsNullOrWhiteSpace(script))
                read.Errors.Add(
                    run ?? map,
                    "a 'run' check needs the script: run: <bash that reads $BATON_CHECK_INPUT, exits 0 to pass>"
                );
            if (rest.Count > (type is null ? 0 : 1) || min is not null || max is not null)
                read.Errors.Add(map, "a 'run' check takes 'run', 'on_fail' and 'weight'");
            return new QualityCheck("run", onFail, weight) { Script = script };
        }
        if (type == "length")
        {
            var minimum = min is null ? null : read.Int(min, "'min'", 0, int.MaxValue);
            var maximum = max is null ? null : read.Int(max, "'max'", 0, int.MaxValue);
            if (min is null && max is null)
                read.Errors.Add(map, "a 'length' check needs 'min', 'max' or both (characters)");
            if (rest.Count > 1)
                read.Errors.Add(map, "a 'length' check takes 'min', 'max', 'on_fail' and 'weight'");
            return new QualityCheck("length", onFail, weight) { MinLength = minimum, MaxLength = maximum };
        }
        if (min is not null || max is not null)
            read.Errors.Add(min ?? max!, "'min' and 'max' belong to a 'length' check");
        var assertion = AssertionReader.Read(new YamlMappingNode(rest), read, where);
        return assertion is null ? null : new QualityCheck(assertion.Type, onFail, weight) { Assertion = assertion };
    }

    private static T Bad<T>(YamlReader read, YamlNode node, string message, T fallback)
    {
        read.Errors.Add(node, message);
        return fallback;
    }
}
