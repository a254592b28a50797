namespace Baton.Tests.Cli;

/// <summary>`baton graph` and `baton run --dry-run` through the real command line, on a loop with a condition and a stop branch.</summary>
public sealed class CliGraphTests : IDisposable
{
    private const string LoopWithCondition = """
        name: write-review
        max_rounds: 3
        inputs:
          topic: {}
        triggers:
          - schedule: "0 6 * * *"
            inputs: { topic: owls }
        agents:
          writer:
            on: [run.started, reviewer.verdict]
            when: { event: reviewer.verdict, field: data.status, equals: changes }
            run: echo "draft $BATON_ROUND" > "$BATON_OUTPUT"
          reviewer:
            on: [writer.done]
            run: |
              baton emit verdict --data '{"status": "approved"}'
          publish:
            on: [reviewer.verdict]
            when: { field: data.status, equals: approved }
            run: cat "$BATON_OUT_WRITER"
          give-up:
            on: [reviewer.verdict]
            when: otherwise
            stop: the reviewer gave up
        """;

    private readonly TestWorkspace _ws = new();

    public CliGraphTests() => _ws.Write("chains/write-review.yaml", LoopWithCondition);

    public void Dispose() => _ws.Dispose();

    [Fact]
    public async Task Graph_Text_ShowsWhatStartsEachAgent_LoopsConditionsStopAndTriggers()
    {
        var graph = await BatonCli.RunAsync(_ws.Root, "graph", "write-review");

        Assert.True(graph.ExitCode == 0, graph.ToString());
        Assert.Contains("trigger schedule: 0 6 * * *", graph.Stdout);
        Assert.Contains(
            "writer [run]: on run.started or reviewer.verdict, when data.status equals \"changes\"",
            graph.Stdout
        );
        Assert.Contains("loop: up to 3 rounds", graph.Stdout);
        Assert.Contains("publish [run]: on reviewer.verdict, when data.status equals \"approved\"", graph.Stdout);
        Assert.Contains(
            "give-up [stop]: on reviewer.verdict, when no other agent's condition holds (otherwise)",
            graph.Stdout
        );
        Assert.Contains("stops the run: the reviewer gave up", graph.Stdout);
    }

    [Fact]
    public async Task Graph_MermaidAndDot_DrawTheLoopBackEdgeAndTheConditions()
    {
        var mermaid = await BatonCli.RunAsync(_ws.Root, "graph", "write-review", "--mermaid");
        Assert.True(mermaid.ExitCode == 0, mermaid.ToString());
        Assert.StartsWith("flowchart TD\n", mermaid.Stdout);
        Assert.Contains("a0[\"writer (max 3 rounds)\"]", mermaid.Stdout);
        Assert.Contains("a1 -->|\"verdict / data.status equals changes\"| a0", mermaid.Stdout); // the loop back
        Assert.Contains("a0 -->|\"done\"| a1", mermaid.Stdout);
        Assert.Contains("a3{{\"stop: give-up (max 3 rounds)\"}}", mermaid.Stdout);
        Assert.Contains("event0 -->|\"run.started\"| a0", mermaid.Stdout);
        Assert.Contains("a1 -->|\"verdict / otherwise\"| a3", mermaid.Stdout);

        var dot = await BatonCli.RunAsync(_ws.Root, "graph", "chains/write-review.yaml", "--dot");
        Assert.True(dot.ExitCode == 0, dot.ToString());
        Assert.StartsWith("digraph \"write-review\" {", dot.Stdout);
        Assert.Contains("\"reviewer\" -> \"writer\" [label=\"verdict / data.status equals changes\"];", dot.Stdout);
        Assert.Contains("\"give-up\" [shape=octagon", dot.Stdout);
        Assert.Contains("\"trigger0\" [shape=oval, label=\"schedule: 0 6 * * *\"];", dot.Stdout);

        var both = await BatonCli.RunAsync(_ws.Root, "graph", "write-review", "--mermaid", "--dot");
        Assert.Equal(2, both.ExitCode);
    }

    [Fact]
    public async Task DryRun_PrintsThePlanInSteps_AndMakesNoRunFolder()
    {
        var plan = await BatonCli.RunAsync(_ws.Root, "run", "write-review", "--dry-run", "-i", "topic=owls");

        Assert.True(plan.ExitCode == 0, plan.ToString());
        Assert.Contains("input topic = owls", plan.Stdout);
        var writer = plan.Stdout.IndexOf("step 1:\n  writer [run]", StringComparison.Ordinal);
        var reviewer = plan.Stdout.IndexOf("step 2:\n  reviewer [run]: on writer.done", StringComparison.Ordinal);
        var branches = plan.Stdout.IndexOf("step 3:\n  publish [run]", StringComparison.Ordinal);
        Assert.True(writer >= 0 && reviewer > writer && branches > reviewer, plan.Stdout);
        Assert.Contains("give-up [stop]", plan.Stdout[branches..]);
        Assert.False(
            Directory.Exists(Path.Combine(_ws.Root, "runs"))
                && Directory.EnumerateFileSystemEntries(Path.Combine(_ws.Root, "runs")).Any(),
            "a dry run made a run folder"
        );

        var missing = await BatonCli.RunAsync(_ws.Root, "run", "write-review", "--dry-run");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("missing required input: topic", missing.Stderr);
        Assert.False(
            Directory.Exists(Path.Combine(_ws.Root, "runs"))
                && Directory.EnumerateFileSystemEntries(Path.Combine(_ws.Root, "runs")).Any()
        );
    }
}
