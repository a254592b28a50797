using System.Text.Json;
using Baton.Chains;
using Baton.Events;

namespace Baton.Tests.Chains;

public class ChainLoaderTests
{
    private const string FullChain = """
        name: research-digest
        description: Research a topic and draft a summary for review.
        inputs:
          topic:
            description: What to research
            default: file-based event buses
          audience: engineers
          deadline:
        agents:
          prep:
            run: scripts/prep.sh
            timeout: 1h30m
            retries: 2
            env:
              MODE: fast
              LEVEL: 3
            secrets: [GITHUB_TOKEN]
          research:
            prompt: ../prompts/research.md
            model: default
            system: You research {{ inputs.topic }} for {{inputs.audience}}.
          draft:
            prompt: |
              Summarise in three bullets:
              {{ agents.research.output }}
              {{ feedback }}
            output: json
            schema:
              type: object
              required: [bullets]
              properties:
                bullets: { type: array, maxItems: 3 }
          code:
            cli: claude
            task: "Apply {{ agents.draft.output }}"
            emits: code.ready
          review:
            decision:
              show: "{{ agents.draft.output }}"
              options: [approve, changes]
              on_changes: draft
              timeout: 2h
              default: approve
          publish:
            needs: [review, code]
            run: |
              mkdir -p out && cp "$BATON_OUT_DRAFT" out/summary.md
          notify:
            on: code.ready
            run: echo done
        workdir: work/checkout/app
        """;

    private static readonly Dictionary<string, string> FullFiles = new()
    {
        ["scripts/prep.sh"] = "echo prep\n",
        ["../prompts/research.md"] = "Research {{ inputs.topic }} by {{ inputs.deadline }}.\n",
    };

    [Fact]
    public void FullChain_LoadsEveryKind()
    {
        var chain = ChainYaml.Load(FullChain, FullFiles);

        Assert.Equal("research-digest", chain.Name);
        Assert.Equal(ChainYaml.Path, chain.SourcePath);
        Assert.Equal("work/checkout/app", chain.Workdir);
        Assert.Equal(
            [
                new ChainInput("topic", "What to research", "file-based event buses"),
                new ChainInput("audience", null, "engineers"),
                new ChainInput("deadline", null, null),
            ],
            chain.Inputs
        );
        Assert.True(chain.Inputs[2].Required);
        Assert.Equal(
            ["prep", "research", "draft", "code", "review", "publish", "notify"],
            chain.Agents.Select(a => a.Name)
        );

        var prep = chain.Agent("prep")!;
        Assert.Equal(AgentKind.Run, prep.Kind);
        Assert.Equal(new ScriptSpec("echo prep\n", "scripts/prep.sh"), prep.Script);
        Assert.Equal(TimeSpan.FromMinutes(90), prep.Timeout);
        Assert.Equal(2, prep.Retries);
        Assert.Equal("3", prep.Env["LEVEL"]);
        Assert.Equal(["GITHUB_TOKEN"], prep.Secrets);
        Assert.Equal(new SourceLocation(10, 3), prep.Location);

        var research = chain.Agent("research")!.Prompt!;
        Assert.Equal("../prompts/research.md", research.File);
        Assert.StartsWith("Research {{ inputs.topic }}", research.Text);
        Assert.Equal(("default", "text"), (research.Model, research.Output));

        var draft = chain.Agent("draft")!.Prompt!;
        Assert.Null(draft.File);
        Assert.Contains("{{ feedback }}", draft.Text);
        Assert.Equal("json", draft.Output);

        var code = chain.Agent("code")!;
        Assert.Equal(new CliSpec("claude", "Apply {{ agents.draft.output }}"), code.Cli);
        Assert.Equal("code.ready", code.Emits);

        var review = chain.Agent("review")!.Decision!;
        Assert.Equal([Decision.Approve, Decision.Changes], review.Options);
        Assert.Equal(("draft", 3, (Decision?)Decision.Approve), (review.OnChanges, review.MaxRounds, review.Default));
        Assert.Equal(TimeSpan.FromHours(2), review.Timeout);

        Assert.Equal(["review", "code"], chain.Agent("publish")!.Needs);
        Assert.Equal(["code.ready"], chain.Agent("notify")!.On);
        Assert.Empty(chain.Agent("notify")!.Needs);
    }

    [Fact]
    public void SchemaMapping_BecomesJson()
    {
        var chain = ChainYaml.Load(FullChain, FullFiles);

        using var schema = JsonDocument.Parse(chain.Agent("draft")!.Prompt!.Schema!);
        var root = schema.RootElement;
        Assert.Equal("object", root.GetProperty("type").GetString());
        Assert.Equal("bullets", root.GetProperty("required")[0].GetString());
        Assert.Equal(3, root.GetProperty("properties").GetProperty("bullets").GetProperty("maxItems").GetInt32());
    }

    [Fact]
    public void SchemaTypes_FollowYamlCoreSchema()
    {
        var chain = ChainYaml.Load(
            """
            name: s
            agents:
              a:
                prompt: hi
                schema:
                  n: 1.5
                  b: true
                  q: "42"
                  z: ~
            """
        );

        Assert.Equal("""{"n":1.5,"b":true,"q":"42","z":null}""", chain.Agents[0].Prompt!.Schema);
        Assert.Equal("json", chain.Agents[0].Prompt!.Output);
    }

    [Fact]
    public void ImplicitOrdering_FollowsSpecRules()
    {
        var chain = ChainYaml.Load(
            """
            name: order
            agents:
              first: { run: "true" }
              second: { run: "true" }
              fan_a: { run: "true", needs: [] }
              joined: { run: "true", needs: [second, fan_a] }
              triggered: { run: "true", on: [first.done] }
              after_trigger: { run: "true" }
              on_and_needs: { run: "true", on: run.started, needs: [first] }
            """
        );

        string[][] needs = [.. chain.Agents.Select(a => a.Needs.ToArray())];
        Assert.Equal(
            [
                [],
                ["first"],
                [],
                ["second", "fan_a"],
                [],
                ["triggered"],
                ["first"],
            ],
            needs
        );
        Assert.Equal(["run.started"], chain.Agent("on_and_needs")!.On);
    }

    [Fact]
    public void DecisionDefaults_AllOptionsAndAgentBefore()
    {
        var chain = ChainYaml.Load(
            """
            name: d
            agents:
              draft: { prompt: write }
              review:
                decision: { show: "{{ agents.draft.output }}" }
            """
        );

        var decision = chain.Agent("review")!.Decision!;
        Assert.Equal([Decision.Approve, Decision.Reject, Decision.Changes], decision.Options);
        Assert.Equal(("draft", 3), (decision.OnChanges, decision.MaxRounds));
        Assert.Null(decision.Timeout);
    }

    [Fact]
    public void InlineScriptCallingScript_IsNotAFileReference()
    {
        var chain = ChainYaml.Load(
            """
            name: s
            agents:
              a: { run: bash ./build.sh }
            """
        );

        Assert.Equal(new ScriptSpec("bash ./build.sh", null), chain.Agents[0].Script);
    }
}
