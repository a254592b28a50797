using Baton.Assertions;
using Baton.Chains;
using YamlDotNet.RepresentationModel;

namespace Baton.Tests.Assertions;

public sealed class AssertionTests
{
    /// <summary>Reads one assertion written in YAML, as a case file or a check would have it.</summary>
    internal static Assertion Read(string yaml)
    {
        var errors = new ChainErrorList("case.yaml");
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var assertion = AssertionReader.Read(stream.Documents[0].RootNode, new YamlReader(errors), "assert");
        Assert.True(errors.Count == 0, string.Join("\n", errors.ToList()));
        return assertion!;
    }

    private static bool Passes(string yaml, string output, decimal? cost = null, double? latency = null) =>
        AssertionEvaluator.Evaluate(Read(yaml), new AssertionSubject(output, cost, latency)).Pass;

    [Theory]
    [InlineData("{type: equals, value: 'hello'}", "hello", "hello!")]
    [InlineData("{type: equals, value: {a: 1, b: [x]}}", "{\"b\": [\"x\"], \"a\": 1}", "{\"a\": 2}")]
    [InlineData("{type: contains, value: World}", "Hello World", "hello world")]
    [InlineData("{type: icontains, value: WORLD}", "hello world", "hello there")]
    [InlineData("{type: contains-any, value: [cat, dog]}", "a dog", "a bird")]
    [InlineData("{type: contains-any, value: 'cat, dog'}", "a cat", "a bird")]
    [InlineData("{type: contains-all, value: [cat, dog]}", "cat and dog", "cat only")]
    [InlineData("{type: starts-with, value: 'Dear'}", "Dear Sir", "Hi, Dear")]
    [InlineData("{type: regex, value: '^\\d{3}-\\d{4}$'}", "555-1234", "555-12345")]
    [InlineData("{type: is-json}", " {\"a\": 1} ", "{\"a\": 1} trailing")]
    [InlineData(
        "{type: is-json, value: {type: object, required: [name], properties: {name: {type: string}}}}",
        "{\"name\": \"x\"}",
        "{\"name\": 3}"
    )]
    [InlineData("{type: contains-json}", "Here you go: {\"a\": [1, 2]} hope it helps", "Here: {a: 1}")]
    [InlineData(
        "{type: contains-json, value: {type: object, required: [ok]}}",
        "first {\"no\": 1} then {\"ok\": true}",
        "only {\"no\": 1}"
    )]
    public void EachType_PassesAndFails_AndNotInverts(string yaml, string passing, string failing)
    {
        Assert.True(Passes(yaml, passing), $"{yaml} should pass on {passing}");
        Assert.False(Passes(yaml, failing), $"{yaml} should fail on {failing}");
        var negated = "{type: not-" + yaml["{type: ".Length..];
        Assert.False(Passes(negated, passing), $"{negated} should fail on {passing}");
        Assert.True(Passes(negated, failing), $"{negated} should pass on {failing}");
    }

    [Fact]
    public void CostAndLatency_CompareAgainstTheirLimit()
    {
        Assert.True(Passes("{type: cost, threshold: 0.01}", "x", cost: 0.004m));
        Assert.False(Passes("{type: cost, threshold: 0.01}", "x", cost: 0.02m));
        Assert.True(Passes("{type: latency, threshold: 500}", "x", latency: 120));
        Assert.False(Passes("{type: latency, value: 500}", "x", latency: 900));
        Assert.True(Passes("{type: not-latency, threshold: 500}", "x", latency: 900));
    }

    [Fact]
    public void UnknownCost_FailsEvenWhenNegated()
    {
        var result = AssertionEvaluator.Evaluate(Read("{type: not-cost, threshold: 1}"), new AssertionSubject("x"));
        Assert.False(result.Pass);
        Assert.True(result.Unusable);
        Assert.Contains("not known", result.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(
        "{type: containz, value: x}",
        "case.yaml:1:8: unknown assertion type 'containz'; did you mean 'contains'?"
    )]
    [InlineData("{type: contains}", "case.yaml:1:1: assertion 'contains' needs a 'value'")]
    [InlineData("{type: regex, value: '(('}", "case.yaml:1:22: regex /((/ is invalid")]
    [InlineData("{type: cost}", "case.yaml:1:1: assertion 'cost' needs a 'threshold'")]
    [InlineData("{type: is-json, value: {type: 12}}", "case.yaml:1:24: the value of 'is-json' must be a JSON Schema")]
    [InlineData(
        "{type: contains, value: x, treshold: 1}",
        "case.yaml:1:28: unknown key 'treshold' in an assertion of assert; did you mean 'threshold'?"
    )]
    [InlineData("{value: x}", "case.yaml:1:1: an assertion of assert needs 'type'")]
    public void BadAssertion_IsALocatedError(string yaml, string expected)
    {
        var errors = new ChainErrorList("case.yaml");
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var assertion = AssertionReader.Read(stream.Documents[0].RootNode, new YamlReader(errors), "assert");
        Assert.Null(assertion);
        Assert.StartsWith(expected, errors.ToList()[0].ToString(), StringComparison.Ordinal);
    }
}
