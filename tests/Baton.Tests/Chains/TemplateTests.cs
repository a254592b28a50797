using Baton.Chains;

namespace Baton.Tests.Chains;

public class TemplateTests
{
    [Fact]
    public void References_AllThreeFormsWithOptionalSpaces()
    {
        var references = Template.References("{{inputs.topic}} and {{  agents.draft-1.output }}\n{{ feedback}}");

        Assert.Equal(
            [TemplateReference.Input("topic"), TemplateReference.AgentOutput("draft-1"), TemplateReference.Feedback],
            references
        );
    }

    [Fact]
    public void Render_SubstitutesEachPlaceholder()
    {
        var text = Template.Render("Topic: {{ inputs.topic }}; draft: {{ agents.draft.output }}; {{ feedback }}.", r =>
            r.Kind switch
            {
                TemplateReferenceKind.Input => "buses",
                TemplateReferenceKind.AgentOutput => "three bullets",
                _ => "",
            }
        );

        Assert.Equal("Topic: buses; draft: three bullets; .", text);
    }

    [Fact]
    public void Render_DoesNotReExpandSubstitutedValues()
    {
        var text = Template.Render("A={{ agents.a.output }} B={{ inputs.secret }}", r =>
            r.Kind == TemplateReferenceKind.AgentOutput ? "{{ inputs.secret }}" : "s3cr3t"
        );

        Assert.Equal("A={{ inputs.secret }} B=s3cr3t", text);
    }

    [Theory]
    [InlineData("{{ input.topic }}")]
    [InlineData("{{ agents.a }}")]
    [InlineData("{{ agents.a.output | upper }}")]
    [InlineData("{{ }}")]
    [InlineData("never closed {{ inputs.x")]
    public void Malformed_Throws(string template)
    {
        Assert.Throws<TemplateException>(() => Template.References(template));
        Assert.Throws<TemplateException>(() => Template.Render(template, _ => ""));
    }

    [Fact]
    public void PlainBraces_AreText()
    {
        Assert.Empty(Template.References("json { \"a\": 1 } and a }} stray"));
    }

    [Fact]
    public void ChainTemplates_UnknownAndNonUpstreamReferencesReported()
    {
        var errors = ChainYaml.Errors(
            """
            name: t
            inputs: { topic: x }
            agents:
              research:
                prompt: "{{ inputs.topik }} {{ feedback }}"
                system: "{{ agents.ghost.output }}"
              side:
                needs: []
                cli: claude
                task: "{{ agents.research.output }}"
              review:
                decision:
                  show: "{{ agents.review.output }} {{ oops }}"
            """
        );

        ChainYaml.AssertAt(
            ChainYaml.Single(errors, "prompt of agent 'research' uses unknown input 'topik'; did you mean 'topic'?"),
            5,
            5
        );
        ChainYaml.AssertAt(ChainYaml.Single(errors, "system of agent 'research' uses unknown agent 'ghost'"), 6, 5);
        ChainYaml.AssertAt(
            ChainYaml.Single(
                errors,
                "task of agent 'side' uses {{ agents.research.output }} but 'side' does not wait for 'research'"
            ),
            10,
            5
        );
        ChainYaml.Single(errors, "show of agent 'review' uses its own output");
        ChainYaml.Single(errors, "'{{ oops }}' is not a template reference");
        Assert.Equal(5, errors.Count);
    }

    [Fact]
    public void ChainTemplates_UpstreamThroughOnAndEmitsAllowed()
    {
        var chain = ChainYaml.Load(
            """
            name: t
            agents:
              a: { prompt: hi, emits: ready }
              b: { run: "true", needs: [] }
              c:
                on: ready
                prompt: "{{ agents.a.output }}"
            """
        );

        Assert.Empty(chain.Agent("c")!.Needs);
    }

    [Fact]
    public void PromptFileTemplates_AreChecked()
    {
        var error = Assert.Single(
            ChainYaml.Errors("name: t\nagents:\n  a:\n    prompt: p.md\n", new() { ["p.md"] = "{{ inputs.nope }}" })
        );

        Assert.Equal("prompt file 'p.md' of agent 'a' uses unknown input 'nope'", error.Message);
        Assert.Equal(new SourceLocation(4, 5), error.Location);
    }

    [Fact]
    public void RunScripts_AreNotTemplates()
    {
        var chain = ChainYaml.Load("name: t\nagents:\n  a: { run: \"echo '{{ not checked }}'\" }\n");

        Assert.Contains("{{ not checked }}", chain.Agents[0].Script!.Text);
    }
}
