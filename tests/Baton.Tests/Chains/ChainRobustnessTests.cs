using Baton.Chains;

namespace Baton.Tests.Chains;

public class ChainRobustnessTests
{
    [Theory]
    [InlineData("- just\n- a list\n")]
    [InlineData("name: t\nagents: [a, b]\n")]
    [InlineData("name: t\nagents:\n  a:\n    decision: [x]\n")]
    [InlineData("name: t\nagents:\n  a:\n    run: x\n    needs: [[x], {y: z}]\n")]
    [InlineData("? [complex]\n: key\nname: t\n")]
    [InlineData("name: t\nagents:\n  a:\n    prompt: x\n    schema: [1]\n")]
    [InlineData("name: t\nagents:\n  ? [k]\n  : { run: x }\n")]
    [InlineData("name: t\ninputs:\n  x: { default: [1] }\nagents:\n  a: { run: x, retries: many, env: { A: [1] } }\n")]
    [InlineData(
        "name: t\nagents:\n  a: &a { run: x }\n  b: *a\n  c: { decision: { show: x, options: [], max_rounds: 0 } }\n"
    )]
    [InlineData("name: t\nagents:\n  a: { cli: [claude] }\n")]
    [InlineData("\"\\0\": 1\n")]
    public void OddShapes_ReportErrorsNeverThrow(string yaml)
    {
        var errors = ChainYaml.Errors(yaml);

        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.True(e.Location.Line >= 1 && e.Location.Column >= 1));
    }

    [Fact]
    public void SchemaAsJsonString_KeptOrRejected()
    {
        var chain = ChainYaml.Load(
            "name: t\nagents:\n  a:\n    prompt: x\n    output: json\n    schema: '{\"type\": \"string\"}'\n"
        );
        Assert.Equal("{\"type\": \"string\"}", chain.Agents[0].Prompt!.Schema);

        var error = Assert.Single(ChainYaml.Errors("name: t\nagents:\n  a:\n    prompt: x\n    schema: '{nope'\n"));
        Assert.Contains("is not valid JSON", error.Message);
        Assert.Equal(new SourceLocation(5, 13), error.Location);
    }
}
