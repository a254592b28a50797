using Baton.Runs;
using Baton.Tests.Events;

namespace Baton.Tests.Engine;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class CliAgentTests
{
    [Fact]
    public async Task MissingCliCommand_FailsWithSpawnReason()
    {
        using var ws = new TestWorkspace();
        ws.Write(
            "baton.yaml",
            """
            clis:
              fake: { command: [no-such-tool-xyz, --print] }
            """
        );
        var (run, outcome) = await ws.RunAsync(
            """
            name: missing
            agents:
              ask:
                cli: fake
                task: hi
            """
        );

        Assert.Equal(RunStatus.Failed, outcome.Status);
        var failed = EngineProbe.Single(run, "ask.failed");
        Assert.Equal("spawn", failed.GetString("reason"));
        Assert.Contains("no-such-tool-xyz", failed.GetString("message"));
        Assert.Contains("not found", failed.GetString("message"));
    }

    [Fact]
    public async Task FakeCliTool_GetsRenderedTaskAsLastArgumentVerbatim_AndItsStdoutIsTheOutput()
    {
        using var ws = new TestWorkspace();
        var marker = Path.Combine(Path.GetTempPath(), $"pwned-{Guid.NewGuid():N}");
        var tool = ws.Write(
            "tools/fake-cli",
            """
            #!/bin/bash
            printf '%s\0' "$@" > cli-args
            printf '%s' "${@: -1}"
            """
        );
        File.SetUnixFileMode(tool, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        ws.Write(
            "baton.yaml",
            $"""
            clis:
              fake: {"{"} command: ["{tool}", --print] {"}"}
            """
        );
        var topic = $"$(touch {marker}) `touch {marker}`; rm -rf x \"'\n\\ {"{{"} inputs.topic {"}}"} $HOME";
        try
        {
            var (run, outcome) = await ws.RunAsync(
                """
                name: cli
                inputs:
                  topic: { description: what to work on }
                agents:
                  ask:
                    cli: fake
                    task: "Work on: {{ inputs.topic }}"
                """,
                new Dictionary<string, string> { ["topic"] = topic }
            );

            Assert.Equal(RunStatus.Succeeded, outcome.Status);
            var task = $"Work on: {topic}";
            Assert.Equal(task, File.ReadAllText(run.AgentOutput("ask")));
            Assert.Equal(["--print", task, ""], File.ReadAllText(Path.Combine(run.Work, "cli-args")).Split('\0'));
            Assert.False(File.Exists(marker), "the task was run through a shell");
        }
        finally
        {
            File.Delete(marker);
        }
    }
}
