using Baton.Chains;
using Baton.Runs;

namespace Baton.Tests.Engine;

/// <summary>`env:` values are templates: `{{ inputs.x }}` and upstream outputs, checked like a prompt's.</summary>
public sealed class EnvTemplateTests
{
    [Fact]
    public async Task EnvValue_FilledFromInputsAndUpstreamOutput()
    {
        using var ws = new TestWorkspace();
        var (run, outcome) = await ws.RunAsync(
            """
            name: env-inputs
            inputs:
              topic: {}
            agents:
              first:
                run: printf owls > "$BATON_OUTPUT"
              second:
                needs: [first]
                env: { TOPIC: "about {{ inputs.topic }}", FROM_FIRST: "{{ agents.first.output }}", PLAIN: "x" }
                run: echo "$TOPIC/$FROM_FIRST/$PLAIN" > "$BATON_OUTPUT"
            """,
            new Dictionary<string, string> { ["topic"] = "birds" }
        );

        Assert.Equal(RunStatus.Succeeded, outcome.Status);
        Assert.Equal("about birds/owls/x\n", File.ReadAllText(Path.Combine(run.AgentDir("second"), "output")));
    }

    [Fact]
    public void EnvValue_UnknownInput_IsAValidationError()
    {
        var errors = ChainLoader.Validate(
            "c.yaml",
            "name: t\ninputs:\n  topic: {}\nagents:\n  a:\n    env: { TOPIC: \"{{ inputs.topik }}\" }\n    run: echo\n",
            _ => null
        );

        Assert.Contains("env 'TOPIC' of agent 'a' uses unknown input 'topik'", Assert.Single(errors).Message);
    }
}
