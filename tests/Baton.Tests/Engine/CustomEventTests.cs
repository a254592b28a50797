using System.Text.Json;
using Baton.Runs;
using Baton.Tests.Events;

namespace Baton.Tests.Engine;

public class CustomEventTests
{
    [Fact]
    public async Task ScriptDropsEventInInbox_OnAgentStartsWhileEmitterRuns()
    {
        using var ws = new TestWorkspace();
        // first keeps running until second has started, so the event must be ingested mid-run.
        var (run, outcome) = await ws.RunAsync(
            """
            name: ready
            agents:
              first:
                run: |
                  printf '{"n": 42, "items": ["x", "y"], "ok": true}' > "$BATON_INBOX/.ready.tmp"
                  mv "$BATON_INBOX/.ready.tmp" "$BATON_INBOX/ready.json"
                  for i in $(seq 100); do [ -e second.ran ] && exit 0; sleep 0.1; done
                  echo "second never started while first was running" >&2; exit 1
              second:
                on: [first.ready]
                run: touch second.ran
            """
        );

        Assert.Equal(RunStatus.Succeeded, outcome.Status);
        Assert.True(EngineProbe.IndexOf(run, "first.ready") < EngineProbe.IndexOf(run, "second.started"));
        Assert.True(EngineProbe.IndexOf(run, "second.started") < EngineProbe.IndexOf(run, "first.done"));
        var ready = EngineProbe.Single(run, "first.ready");
        Assert.Equal("first", ready.Agent);
        using var expected = JsonDocument.Parse("""{"n": 42, "items": ["x", "y"], "ok": true}""");
        Assert.True(JsonElement.DeepEquals(expected.RootElement, ready.Data!.Value), ready.Data.Value.GetRawText());
    }

    [Fact]
    public async Task Emits_WritesEventAfterDone_AndTriggersOnAgent()
    {
        using var ws = new TestWorkspace();
        var (run, outcome) = await ws.RunAsync(
            """
            name: emits
            agents:
              build:
                run: echo built
                emits: artifact-ready
              publish:
                on: [artifact-ready]
                run: cat "$BATON_OUT_BUILD"
            """
        );

        Assert.Equal(RunStatus.Succeeded, outcome.Status);
        Assert.Equal(
            [
                "run.started",
                "build.started",
                "build.done",
                "artifact-ready",
                "publish.started",
                "publish.done",
                "run.finished",
            ],
            TestWorkspace.Types(run)
        );
        Assert.Equal("build", EngineProbe.Single(run, "artifact-ready").Agent);
        Assert.Equal("built\n", File.ReadAllText(run.AgentOutput("publish")));
    }

    [Fact]
    public async Task OnAgentWhoseEventNeverComes_IsSkipped()
    {
        using var ws = new TestWorkspace();
        var (run, outcome) = await ws.RunAsync(
            """
            name: never
            agents:
              work:
                run: echo "no custom event here"
              react:
                on: [work.alarm]
                run: echo "should not run"
            """
        );

        Assert.Equal(RunStatus.Succeeded, outcome.Status);
        Assert.DoesNotContain("react.started", TestWorkspace.Types(run));
        Assert.Contains("work.alarm", EngineProbe.Single(run, "react.skipped").GetString("reason"));
    }

    [Fact]
    public async Task FailedHandler_RunsWhenAgentFails_RunStillFails()
    {
        using var ws = new TestWorkspace();
        var (run, outcome) = await ws.RunAsync(
            """
            name: handler
            agents:
              deploy:
                run: exit 3
              rollback:
                on: [deploy.failed]
                run: echo "rolled back"
            """
        );

        Assert.Equal(RunStatus.Failed, outcome.Status);
        Assert.True(EngineProbe.IndexOf(run, "deploy.failed") < EngineProbe.IndexOf(run, "rollback.started"));
        Assert.Contains("rollback.done", TestWorkspace.Types(run));
        Assert.Equal("rolled back\n", File.ReadAllText(run.AgentOutput("rollback")));
    }
}
