using Baton.Runs;
using Baton.Tests.Events;

namespace Baton.Tests.Engine;

/// <summary>`emits: [a, b]` / `{events, required}` and names with ':' (docs/chains.md, Agent-chosen events).</summary>
public class ChosenEventTests
{
    [Fact]
    public async Task RequiredEventMissing_AttemptFailsAndIsRetried_ThenDoneWhenEmitted()
    {
        using var ws = new TestWorkspace();
        var (run, outcome) = await ws.RunAsync(
            """
            name: chosen
            agents:
              reviewer:
                emits: { events: [approved, changes], required: true }
                retries: 1
                run: |
                  if [ "$BATON_ATTEMPT" = 2 ]; then touch "$BATON_INBOX/approved.json"; fi
              publish:
                on: [reviewer.approved]
                run: echo published
            """
        );

        Assert.Equal(RunStatus.Succeeded, outcome.Status);
        var failed = EngineProbe.Single(run, "reviewer.failed");
        Assert.Equal("missing-event", failed.GetString("reason"));
        Assert.Equal(
            "exited 0 without emitting any of its required events (approved, changes)",
            failed.GetString("message")
        );
        Assert.True(failed.GetBool("retry"));
        Assert.Equal(AgentStatus.Done, EngineProbe.StatusOf(run, "publish"));
    }

    [Fact]
    public async Task RequiredEventNeverEmitted_RunFails()
    {
        using var ws = new TestWorkspace();
        var (_, outcome) = await ws.RunAsync(
            """
            name: chosen
            agents:
              reviewer:
                emits: { events: [approved], required: true }
                run: echo "forgot to emit"
            """
        );

        Assert.Equal(RunStatus.Failed, outcome.Status);
        Assert.Contains("without emitting any of its required events (approved)", outcome.Reason);
    }

    [Fact]
    public async Task CliToolExitsZeroWithoutItsRequiredEvent_RetriedThenTheRunFails()
    {
        using var ws = new TestWorkspace();
        var tool = ws.Write("tools/forgetful", "#!/bin/bash\necho \"did the work, forgot to emit\"\n");
        File.SetUnixFileMode(tool, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        ws.Write("baton.yaml", $"clis:\n  claude: {{ command: [\"{tool}\"] }}\n");
        var (run, outcome) = await ws.RunAsync(
            """
            name: chosen
            agents:
              reviewer:
                cli: claude
                task: Review the draft, then emit approved.
                emits: { events: [approved], required: true }
                retries: 2
              publish:
                on: [reviewer.approved]
                run: echo published
            """
        );

        Assert.Equal(RunStatus.Failed, outcome.Status);
        var failures = TestWorkspace.Events(run).Where(e => e.Type == "reviewer.failed").ToList();
        Assert.Equal(3, failures.Count);
        Assert.All(failures, f => Assert.Equal("missing-event", f.GetString("reason")));
        Assert.Equal([true, true, false], failures.Select(f => f.GetBool("retry")));
        Assert.Equal(AgentStatus.Skipped, EngineProbe.StatusOf(run, "publish"));
    }

    [Fact]
    public async Task EventNamesWithColons_EmittedByScriptAndByEngine()
    {
        using var ws = new TestWorkspace();
        var (run, outcome) = await ws.RunAsync(
            """
            name: colons
            agents:
              research:
                emits: [research:complete]
                run: touch "$BATON_INBOX/research:complete.json"
              write:
                on: [research.research:complete]
                emits: draft:ready
                run: echo drafted
              publish:
                on: [draft:ready]
                run: echo published
            """
        );

        Assert.Equal(RunStatus.Succeeded, outcome.Status);
        Assert.Contains("research.research:complete", TestWorkspace.Types(run));
        Assert.Equal(AgentStatus.Done, EngineProbe.StatusOf(run, "publish"));
    }
}
