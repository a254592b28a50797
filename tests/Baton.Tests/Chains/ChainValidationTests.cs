using Baton.Chains;

namespace Baton.Tests.Chains;

public class ChainValidationTests
{
    [Fact]
    public void TypoInAgentKey_SuggestsNearestAtKeyLocation()
    {
        var errors = ChainYaml.Errors(
            """
            name: t
            agents:
              a: { run: "true" }
              b:
                run: "true"
                nedds: [a]
            """
        );

        var error = Assert.Single(errors);
        Assert.Equal("unknown key 'nedds' in agent 'b'; did you mean 'needs'?", error.Message);
        ChainYaml.AssertAt(error, 6, 5);
        Assert.Equal(
            $"{ChainYaml.Path}:6:5: unknown key 'nedds' in agent 'b'; did you mean 'needs'?",
            error.ToString()
        );
    }

    [Fact]
    public void ManyProblems_AllReportedAtOnce()
    {
        var yaml = """
            name: Bad_Name
            descripton: oops
            agents:
              a:
                run: "true"
                retries: 11
                timeout: 10 minutes
              b:
                prompt: hi
                run: "true"
              c:
                needs: [zz]
            """;

        var errors = ChainYaml.Errors(yaml);

        ChainYaml.AssertAt(ChainYaml.Single(errors, "invalid chain name 'Bad_Name'"), 1, 7);
        ChainYaml.AssertAt(
            ChainYaml.Single(errors, "unknown key 'descripton' in the chain; did you mean 'description'?"),
            2,
            1
        );
        ChainYaml.AssertAt(
            ChainYaml.Single(errors, "'retries' of agent 'a' must be a whole number from 0 to 10"),
            6,
            14
        );
        ChainYaml.AssertAt(ChainYaml.Single(errors, "invalid duration '10 minutes'"), 7, 14);
        ChainYaml.AssertAt(ChainYaml.Single(errors, "has both 'prompt' and 'run'"), 10, 5);
        ChainYaml.AssertAt(ChainYaml.Single(errors, "agent 'c' needs exactly one of"), 11, 3);
        ChainYaml.AssertAt(ChainYaml.Single(errors, "needs unknown agent 'zz'"), 12, 13);
        Assert.Equal(7, errors.Count);
        var thrown = Assert.Throws<ChainValidationException>(() => ChainYaml.Load(yaml));
        Assert.Equal(errors, thrown.Errors);
    }

    [Fact]
    public void MalformedYaml_OneErrorAtMark()
    {
        var errors = ChainYaml.Errors("name: t\nagents:\n  a:\n    run: x\n   bad: y\n");

        var error = Assert.Single(errors);
        Assert.StartsWith("invalid YAML", error.Message);
        ChainYaml.AssertAt(error, 5, 4);
        Assert.DoesNotContain("Exception", error.Message);
    }

    [Fact]
    public void UnclosedFlowList_LocatedErrorNotCrash()
    {
        var errors = ChainYaml.Errors("name: t\nagents:\n  a: [unclosed\n  b: x\n");

        var error = Assert.Single(errors);
        Assert.StartsWith("invalid YAML", error.Message);
        Assert.Equal(3, error.Location.Line);
    }

    [Fact]
    public void DuplicateAgent_ReportedWithBothLocations()
    {
        var errors = ChainYaml.Errors(
            """
            name: t
            agents:
              a: { run: "true" }
              b: { run: "true" }
              a:
                run: "false"
                bogus: 1
            """
        );

        var error = Assert.Single(errors);
        Assert.Equal("duplicate agent 'a' (first defined at 3:3); agent names must be unique", error.Message);
        ChainYaml.AssertAt(error, 5, 3);
    }

    [Theory]
    [InlineData("../evil")]
    [InlineData("Upper")]
    [InlineData("a/b")]
    [InlineData("9lives")]
    [InlineData("run")]
    public void BadAgentName_IsError(string name)
    {
        var errors = ChainYaml.Errors($"name: t\nagents:\n  \"{name}\": {{ run: \"true\" }}\n");

        var error = Assert.Single(errors);
        Assert.Contains($"'{name}'", error.Message);
        ChainYaml.AssertAt(error, 3, 3);
    }

    [Fact]
    public void WrongNodeTypes_AreLocatedErrors()
    {
        var errors = ChainYaml.Errors(
            """
            name: [t]
            inputs: [x]
            agents:
              a:
                prompt: { text: hi }
                env: [A]
                secrets: lowercase
                on: { x: y }
              b: just-a-string
            """
        );

        ChainYaml.AssertAt(ChainYaml.Single(errors, "name must be a string, not a list"), 1, 7);
        ChainYaml.AssertAt(ChainYaml.Single(errors, "inputs must be a mapping"), 2, 9);
        ChainYaml.AssertAt(ChainYaml.Single(errors, "'prompt' of agent 'a' must be a string, not a mapping"), 5, 13);
        ChainYaml.AssertAt(ChainYaml.Single(errors, "'env' of agent 'a' must be a mapping"), 6, 10);
        ChainYaml.AssertAt(ChainYaml.Single(errors, "'secrets' of agent 'a' must be a list"), 7, 14);
        ChainYaml.AssertAt(ChainYaml.Single(errors, "'on' of agent 'a' must be a list or a string"), 8, 9);
        ChainYaml.AssertAt(ChainYaml.Single(errors, "agent 'b' must be a mapping"), 9, 6);
    }

    [Fact]
    public void Cycle_ReportsPath()
    {
        var errors = ChainYaml.Errors(
            """
            name: t
            agents:
              a: { run: "true", needs: [c] }
              b: { run: "true", needs: [a] }
              c: { run: "true", needs: [b] }
              d: { run: "true" }
            """
        );

        var error = Assert.Single(errors);
        Assert.StartsWith("cycle: a -> c -> b -> a", error.Message);
        ChainYaml.AssertAt(error, 3, 3);
    }

    [Fact]
    public void LoopWithAnotherWayIn_IsNotACycle_ButNeedsMaxRounds()
    {
        var chain = ChainYaml.Load(
            """
            name: t
            agents:
              a: { run: "true", on: [run.started, b.done], max_rounds: 2 }
              b: { run: "true", needs: [a] }
            """
        );

        Assert.Equal(["a"], chain.Agent("b")!.Needs);
        Assert.Equal(2, chain.Agent("a")!.MaxRounds);
        Assert.Equal(1, chain.Agent("b")!.MaxRounds);
    }

    [Fact]
    public void OnEventThatCanOnlyComeAfterTheAgentRan_WithoutMaxRounds_IsError()
    {
        // Before: valid, and the run ended "succeeded" with the loop silently never taken.
        var errors = ChainYaml.Errors(
            """
            name: t
            agents:
              writer: { run: "true", on: [run.started, reviewer.changes] }
              reviewer: { run: "true", on: [writer.done] }
            """
        );

        var error = Assert.Single(errors);
        Assert.Equal(
            "agent 'writer' waits on 'reviewer.changes', which can only happen after 'writer' has run, so it would "
                + "never start it again; to loop, set 'max_rounds' (2 or more) on the agent or the chain",
            error.Message
        );
        ChainYaml.AssertAt(error, 3, 44);
    }

    [Fact]
    public void ChainMaxRounds_AppliesToEveryAgent_AgentOverrides()
    {
        var chain = ChainYaml.Load(
            """
            name: t
            max_rounds: 3
            agents:
              writer: { run: "true", on: [run.started, reviewer.changes] }
              reviewer: { run: "true", on: [writer.done], max_rounds: 4 }
            """
        );

        Assert.Equal(3, chain.Agent("writer")!.MaxRounds);
        Assert.Equal(4, chain.Agent("reviewer")!.MaxRounds);
    }

    [Fact]
    public void AgentMaxRoundsWithoutAWayBack_IsError()
    {
        var errors = ChainYaml.Errors(
            """
            name: t
            agents:
              a: { run: "true", max_rounds: 3 }
              b: { run: "true", on: [a.done], max_rounds: 101 }
            """
        );

        ChainYaml.AssertAt(
            ChainYaml.Single(errors, "'max_rounds' of agent 'a' has no effect: no event in its 'on:' can happen again"),
            3,
            33
        );
        ChainYaml.Single(errors, "'max_rounds' of agent 'b' must be a whole number from 1 to 100");
        Assert.Equal(2, errors.Count);
    }

    [Fact]
    public void WaitingOnlyOnItself_IsUnreachable()
    {
        var errors = ChainYaml.Errors(
            """
            name: t
            agents:
              a: { run: "true" }
              b: { run: "true", on: [b.done] }
              c: { run: "true", needs: [c] }
            """
        );

        ChainYaml.AssertAt(ChainYaml.Single(errors, "agent 'b' can never start: it waits only on itself"), 4, 3);
        ChainYaml.AssertAt(ChainYaml.Single(errors, "agent 'c' needs itself"), 5, 29);
        Assert.Equal(2, errors.Count);
    }

    [Fact]
    public void UnknownNeeds_SuggestsNearestAgent()
    {
        var error = Assert.Single(
            ChainYaml.Errors(
                """
                name: t
                agents:
                  research: { run: "true" }
                  draft: { run: "true", needs: [reserch] }
                """
            )
        );

        Assert.Equal("agent 'draft' needs unknown agent 'reserch'; did you mean 'research'?", error.Message);
        ChainYaml.AssertAt(error, 4, 33);
    }

    [Fact]
    public void OnEventNothingEmits_IsUnreachable()
    {
        var errors = ChainYaml.Errors(
            """
            name: t
            agents:
              a: { run: "true", emits: ready }
              b: { run: "true", on: [a.custom_thing, ready, run.started] }
              c: { run: "true", on: [nobody.done] }
              d: { run: "true", on: redy }
            """
        );

        ChainYaml.AssertAt(
            ChainYaml.Single(errors, "agent 'c' waits on 'nobody.done' but nothing can emit 'nobody.done'"),
            5,
            26
        );
        var typo = ChainYaml.Single(errors, "agent 'd' waits on 'redy'");
        Assert.EndsWith("did you mean 'ready'?", typo.Message);
        Assert.Equal(2, errors.Count);
    }

    [Fact]
    public void DecisionRules_AreChecked()
    {
        var errors = ChainYaml.Errors(
            """
            name: t
            agents:
              review:
                decision:
                  show: hi
                  options: [approve, reject, maybe]
                  timeout: 1h
                  default: changes
              second:
                decision: { show: x, on_changes: later }
              later: { run: "true" }
            """
        );

        ChainYaml.AssertAt(ChainYaml.Single(errors, "unknown option 'maybe'"), 6, 34);
        ChainYaml.AssertAt(
            ChainYaml.Single(errors, "'default' of decision 'review' must be one of its options (approve, reject)"),
            8,
            16
        );
        ChainYaml.AssertAt(ChainYaml.Single(errors, "must name an agent written before it, not 'later'"), 10, 38);
        Assert.Equal(3, errors.Count);
    }

    [Fact]
    public void FirstDecisionOfferingChanges_NeedsOnChanges()
    {
        var error = Assert.Single(ChainYaml.Errors("name: t\nagents:\n  review:\n    decision: { show: hi }\n"));

        Assert.Contains("offers 'changes' but no agent comes before it", error.Message);
    }

    [Fact]
    public void KindSpecificKeyOnWrongKind_SaysWhichKind()
    {
        var error = Assert.Single(ChainYaml.Errors("name: t\nagents:\n  a:\n    run: x\n    task: do it\n"));

        Assert.Equal("key 'task' in agent 'a' only applies to cli agents", error.Message);
    }

    [Fact]
    public void EnvAndSecrets_NamesChecked()
    {
        var errors = ChainYaml.Errors(
            """
            name: t
            agents:
              a:
                run: "true"
                env: { BATON_OUTPUT: x, 1BAD: y, OK: fine }
                secrets: [good_name]
                if: x
            """
        );

        ChainYaml.Single(errors, "names starting with BATON_ are set by Baton");
        ChainYaml.Single(errors, "invalid environment variable name '1BAD'");
        ChainYaml.Single(errors, "invalid secret name 'good_name'");
        ChainYaml.Single(errors, "'if' in agent 'a' is not supported yet");
        Assert.Equal(4, errors.Count);
    }

    [Theory]
    [InlineData("../outside")]
    [InlineData("a/../../b")]
    [InlineData(".")]
    [InlineData("./")]
    [InlineData("work")]
    [InlineData("work/../chains")]
    [InlineData("work/./x")]
    [InlineData("work/.hidden")]
    [InlineData(".baton")]
    [InlineData("chains")]
    [InlineData("runs/20261124-063012-t-7f3a/inbox")]
    [InlineData("prompts")]
    [InlineData("home")]
    [InlineData("baton.yaml")]
    [InlineData("audit.jsonl")]
    [InlineData("checkout")]
    public void WorkdirOutsideWork_IsError(string workdir)
    {
        var error = Assert.Single(
            ChainYaml.Errors($"name: t\nworkdir: {workdir}\nagents:\n  a: {{ run: \"true\" }}\n")
        );

        Assert.Contains("workdir", error.Message);
        Assert.Contains("work/", error.Message);
        ChainYaml.AssertAt(error, 2, 10);
    }

    [Theory]
    [InlineData("work/checkout")]
    [InlineData("work/checkout/app")]
    public void WorkdirUnderWork_IsValid(string workdir) =>
        Assert.Empty(ChainYaml.Errors($"name: t\nworkdir: {workdir}\nagents:\n  a: {{ run: \"true\" }}\n"));

    [Fact]
    public void MissingNameAndAgents_AreErrors()
    {
        var errors = ChainYaml.Errors("description: nothing\n");

        ChainYaml.Single(errors, "missing required key 'name'");
        ChainYaml.Single(errors, "missing required key 'agents'");
    }

    [Fact]
    public void EmptyFile_IsError()
    {
        var error = Assert.Single(ChainYaml.Errors("# just a comment\n"));

        Assert.Contains("empty", error.Message);
    }

    [Fact]
    public void PromptFileMissing_ErrorAtValue()
    {
        var error = Assert.Single(ChainYaml.Errors("name: t\nagents:\n  a:\n    prompt: ../prompts/missing.md\n"));

        Assert.StartsWith("prompt file '../prompts/missing.md' not found", error.Message);
        ChainYaml.AssertAt(error, 4, 13);
    }

    [Fact]
    public void AbsoluteReference_RejectedBeforeReading()
    {
        var read = new List<string>();
        var errors = ChainLoader.Validate("c.yaml", "name: t\nagents:\n  a: { run: /etc/evil.sh }\n", p =>
        {
            read.Add(p);
            return "x";
        });

        Assert.Contains("must be a relative path", Assert.Single(errors).Message);
        Assert.Empty(read);
    }
}
