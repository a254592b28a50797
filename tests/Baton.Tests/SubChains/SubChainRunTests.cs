using Baton.Events;
using Baton.Runs;
using Baton.Tests.Engine;
using Baton.Tests.Llm;
using static Baton.Tests.SubChains.SubChainKit;

namespace Baton.Tests.SubChains;

/// <summary>`chain:` agents under `baton run`'s engine: a real child run, its output, cost and cancel.</summary>
public class SubChainRunTests
{
    private const string Greet = """
        name: greet
        inputs:
          who:
        agents:
          hello: { run: 'echo "hello $BATON_INPUT_WHO"' }
          shout: { run: 'tr a-z A-Z < "$BATON_RUN_DIR/agents/hello/output"' }
        """;

    [Fact]
    public async Task ChainAgent_RunsTheChildAsItsOwnRun_WithRenderedInputs_AndTakesItsLastOutput()
    {
        using var ws = new TestWorkspace();
        var run = await CreateRunAsync(
            ws,
            new Dictionary<string, string> { ["name"] = "ann" },
            (
                "parent",
                """
                name: parent
                inputs:
                  name:
                agents:
                  greeting:
                    chain: greet
                    inputs: { who: "{{ inputs.name }}" }
                  quiet:
                    chain: greet
                    inputs: { who: "bob" }
                    output_from: hello
                  use:
                    needs: [greeting, quiet]
                    env: { LOUD: "{{ agents.greeting.output }}", SOFT: "{{ agents.quiet.output }}" }
                    run: 'echo "$LOUD / $SOFT"'
                """
            ),
            ("greet", Greet)
        );

        var outcome = await new RunEngine(ws.Workspace, Options()).RunAsync(run).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(RunStatus.Succeeded, outcome.Status);
        Assert.Equal("HELLO ANN\n / hello bob\n\n", File.ReadAllText(run.AgentOutput("use"))); // outputs as written, newlines kept
        var children = Children(ws, run);
        Assert.Equal(2, children.Count);
        Assert.All(children, c => Assert.Equal(RunStatus.Succeeded, State(c.Run).Status));
        Assert.Equal(
            ["greeting", "quiet"],
            children.Select(c => c.Started.Parent!.Agent).Order(StringComparer.Ordinal)
        );
        Assert.All(children, c => Assert.Equal(1, c.Started.Parent!.Depth));
        Assert.All(children, c => Assert.Equal("greet", c.Started.Chain));
        // The child is where the parent's agent folder says, so a resume finds it again.
        var recorded = File.ReadAllText(Path.Combine(run.AgentDir("greeting"), ChildRuns.RecordFileName));
        Assert.Equal("greeting", children.Single(c => c.Run.Id == recorded).Started.Parent!.Agent);
    }

    [Fact]
    public async Task ChildThatFails_FailsTheChainAgent_WithTheChildsReason()
    {
        using var ws = new TestWorkspace();
        var run = await CreateRunAsync(
            ws,
            null,
            ("parent", "name: parent\nagents:\n  sub: { chain: broken }\n"),
            ("broken", "name: broken\nagents:\n  boom: { run: 'exit 3' }\n")
        );

        var outcome = await new RunEngine(ws.Workspace, Options()).RunAsync(run).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(RunStatus.Failed, outcome.Status);
        var failed = TestWorkspace.Events(run).Select(e => e.Body).OfType<AgentFailed>().Single();
        Assert.Equal("child", failed.Reason);
        Assert.Contains("chain 'broken'", failed.Message);
        Assert.Contains("failed", failed.Message);
    }

    [Fact]
    public async Task ChildWithAnLlmCall_ItsCostRollsUpIntoTheChainAgent_AndTheParentRun()
    {
        using var llm = new FakeLlmServer { Fallback = FakeReply.Text("summary", input: 1000, output: 500) };
        using var ws = new TestWorkspace();
        ws.Write("baton.yaml", LlmKit.OpenAiConfig(llm));
        var run = await CreateRunAsync(
            ws,
            null,
            ("parent", "name: parent\nagents:\n  sub: { chain: summarize }\n"),
            ("summarize", "name: summarize\nagents:\n  write: { prompt: 'Summarize.' }\n")
        );

        var outcome = await new RunEngine(ws.Workspace, Options(new Agents.PromptAgent(LlmKit.Fast())))
            .RunAsync(run)
            .WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(RunStatus.Succeeded, outcome.Status);
        var child = Children(ws, run).Single().Run;
        var childCost = State(child).Agent("write").CostUsd;
        Assert.True(childCost > 0, "the fake call is priced");
        Assert.Equal(childCost, State(run).Agent("sub").CostUsd);
        var finished = TestWorkspace.Events(run).Select(e => e.Body).OfType<RunFinished>().Single();
        Assert.Equal(childCost, finished.CostUsd);
        Assert.Equal("summary", File.ReadAllText(run.AgentOutput("sub")));
        // Each call is counted once in the workspace's ledgers (the budget): in the child's, not the parent's.
        Assert.False(File.Exists(global::Baton.Costs.CostLedger.PathFor(run.Path)));
    }

    [Fact]
    public async Task CancelOfTheParent_CancelsTheChild_AndKillsItsAgents()
    {
        using var ws = new TestWorkspace();
        using var cancel = new CancellationTokenSource();
        var run = await CreateRunAsync(
            ws,
            null,
            ("parent", "name: parent\nagents:\n  sub: { chain: slow }\n  after: { run: echo never }\n"),
            ("slow", "name: slow\nagents:\n  sleeper: { run: 'echo $$ > \"$BATON_RUN_DIR/pid\"; exec sleep 300' }\n")
        );
        var engine = new RunEngine(ws.Workspace, Options()).RunAsync(run, cancel.Token);
        await EngineProbe.WaitUntilAsync(
            () => Children(ws, run) is [var c] && File.Exists(Path.Combine(c.Run.Path, "pid")),
            "the child's agent to start"
        );
        var child = Children(ws, run).Single().Run;
        var pid = EngineProbe.ReadPids(Path.Combine(child.Path, "pid"));

        await cancel.CancelAsync();
        var outcome = await engine.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(RunStatus.Cancelled, outcome.Status);
        Assert.Equal(RunStatus.Cancelled, State(child).Status);
        Assert.Equal(AgentStatus.Cancelled, State(run).Agent("sub").Status);
        await EngineProbe.WaitUntilAsync(() => pid.All(EngineProbe.IsGone), "the child's agent to be killed");
    }

    [Fact]
    public async Task ChildRun_CannotNestDeeperThanTheCap_EvenWhenChainsChangedAfterValidation()
    {
        using var ws = new TestWorkspace();
        // Valid when the parent is loaded; then `loop` is edited to call itself, which a run already going cannot see.
        var run = await CreateRunAsync(
            ws,
            null,
            ("parent", "name: parent\nagents:\n  sub: { chain: loop }\n"),
            ("loop", "name: loop\nagents:\n  a: { run: echo a }\n")
        );
        ws.Write("chains/loop.yaml", "name: loop\nagents:\n  again: { chain: loop2 }\n");
        ws.Write("chains/loop2.yaml", "name: loop2\nagents:\n  again: { chain: loop }\n");

        var outcome = await new RunEngine(ws.Workspace, Options()).RunAsync(run).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(RunStatus.Failed, outcome.Status);
        var runs = RunFolder.All(ws.Workspace.RunsRoot).ToList();
        Assert.Equal(1 + global::Baton.Chains.ChainLimits.MaxSubChainDepth, runs.Count);
        var deepest = runs.Select(r => (r, State(r))).Single(x => x.Item2.Agents.Values.Any(a => a.Reason == "depth"));
        Assert.Contains("at most", deepest.Item2.Agents.Values.Single().FailureMessage);
    }
}
