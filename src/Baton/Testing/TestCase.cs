using Baton.Assertions;
using Baton.Chains;
using Baton.Events;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Baton.Testing;

/// <summary>One reference input of `baton test`: the chain's inputs (`vars`), answers to its decisions, and what must hold.</summary>
/// <param name="Outputs">`--agent` only: the outputs of the agent's upstream agents, by agent name.</param>
public sealed record TestCase(
    string Description,
    IReadOnlyDictionary<string, string> Vars,
    IReadOnlyDictionary<string, Decision> Decisions,
    IReadOnlyDictionary<string, string> Outputs,
    IReadOnlyList<Assertion> Assertions
);

/// <summary>
/// A case file (`tests/&lt;chain&gt;.yaml`) in promptfoo's vocabulary, so users can bring theirs:
/// `tests: [{description, vars, assert}]` plus Baton's `decisions:` and `outputs:`. Every problem is
/// reported at once with file:line:col.
/// </summary>
public static class TestCaseFile
{
    private static readonly string[] CaseKeys = ["description", "vars", "assert", "decisions", "outputs"];

    /// <exception cref="ChainValidationException">The file has errors.</exception>
    public static IReadOnlyList<TestCase> Load(string path) => Parse(path, File.ReadAllText(path));

    /// <exception cref="ChainValidationException">The text has errors.</exception>
    public static IReadOnlyList<TestCase> Parse(string path, string text)
    {
        var errors = new ChainErrorList(path);
        var read = new YamlReader(errors);
        var cases = new List<TestCase>();
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            var root = stream.Documents.Count > 0 ? stream.Documents[0].RootNode : null;
            YamlNode? tests = null;
            if (root is YamlMappingNode map)
            {
                foreach (var (key, name, value) in read.Entries(map, "the case file"))
                    if (name == "tests")
                        tests = value;
                    else
                        read.UnknownKey(key, "the case file", ["tests"]);
            }
            if (tests is YamlSequenceNode list)
            {
                var number = 0;
                foreach (var item in list.Children)
                    if (ReadCase(item, read, ++number) is { } testCase)
                        cases.Add(testCase);
            }
            else if (root is null)
                errors.Add(
                    new SourceLocation(1, 1),
                    "the case file is empty; write tests: [{description, vars, assert}]"
                );
            else
                errors.Add(
                    tests ?? root,
                    "the case file needs 'tests:', a list of cases ({description, vars, assert})"
                );
        }
        catch (YamlException e)
        {
            errors.Add(e.Start, e.Message);
        }
        if (errors.Count > 0)
            throw new ChainValidationException(errors.ToList());
        return cases;
    }

    private static TestCase? ReadCase(YamlNode node, YamlReader read, int number)
    {
        if (read.Map(node, "each test case") is not { } map)
            return null;
        var where = $"test case {number}";
        string? description = null;
        Dictionary<string, string> vars = new(StringComparer.Ordinal),
            outputs = new(StringComparer.Ordinal);
        var decisions = new Dictionary<string, Decision>(StringComparer.Ordinal);
        List<Assertion> assertions = [];
        foreach (var (key, name, value) in read.Entries(map, where))
        {
            switch (name)
            {
                case "description":
                    description = read.Text(value, "description");
                    break;
                case "vars":
                    vars = Strings(value, read, $"vars of {where}");
                    break;
                case "decisions":
                    foreach (var (agent, answer) in Strings(value, read, $"decisions of {where}"))
                        if (DecisionWire.TryParse(answer, out var decision))
                            decisions[agent] = decision;
                        else
                            read.Errors.Add(
                                value,
                                $"decision '{agent}' of {where} must be approve, reject or changes, not '{answer}'"
                            );
                    break;
                case "outputs":
                    outputs = Strings(value, read, $"outputs of {where}");
                    break;
                case "assert":
                    assertions = AssertionReader.ReadList(value, read, $"assert of {where}");
                    break;
                default:
                    read.UnknownKey(key, where, CaseKeys);
                    break;
            }
        }
        return new TestCase(description ?? where, vars, decisions, outputs, assertions);
    }

    /// <summary>A mapping of names to scalars (numbers and booleans as written).</summary>
    private static Dictionary<string, string> Strings(YamlNode node, YamlReader read, string what)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (read.Map(node, what) is not { } map)
            return result;
        foreach (var (_, name, value) in read.Entries(map, what))
            if (read.Text(value, $"'{name}' in {what}") is { } text)
                result[name] = text;
        return result;
    }
}
