using Baton.Import;
using Baton.Runs;
using Baton.Tests.Engine;

namespace Baton.Tests.Import;

/// <summary>`baton import mentiko` on chains in Mentiko's public format (tests/fixtures/mentiko/README.md).</summary>
public class MentikoImportTests
{
    private static string Fixtures()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Baton.slnx")))
            dir = dir.Parent;
        return Path.Combine(dir!.FullName, "tests", "fixtures", "mentiko");
    }

    private static MentikoImportResult Import(string file) =>
        MentikoImporter.Convert(
            File.ReadAllText(Path.Combine(Fixtures(), file)),
            Fixtures(),
            Path.Combine(Fixtures(), "library")
        );

    private static IEnumerable<string> WarnedPaths(MentikoImportResult result) =>
        result.Warnings.Select(w => w[..w.IndexOf(": ", StringComparison.Ordinal)]);

    /// <summary>A workspace whose `claude` is a stand-in: it plays each agent by name and round, and emits what the chain expects.</summary>
    private static TestWorkspace WithStandInClaude(int rejections = 1)
    {
        var ws = new TestWorkspace();
        var tool = ws.Write(
            "tools/claude",
            """
            #!/bin/bash
            emit() { printf '%s' "${2:-{\}}" > "$BATON_INBOX/.e" && mv "$BATON_INBOX/.e" "$BATON_INBOX/$1.json"; }
            case "$BATON_AGENT" in
              reviewer) if [ "$BATON_ROUND" -le REJECTIONS ]; then emit verdict '{"status": "changes"}'; else emit verdict '{"status": "approved"}'; fi ;;
              lint) emit check-passed ;;
            esac
            echo "$BATON_AGENT round $BATON_ROUND"
            """.Replace("REJECTIONS", rejections.ToString(System.Globalization.CultureInfo.InvariantCulture))
        );
        File.SetUnixFileMode(tool, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        ws.Write(
            "baton.yaml",
            $$"""
            clis:
              claude: { command: ["{{tool}}"] }
            """
        );
        return ws;
    }

    [Theory]
    [InlineData("two-step-handoff.json", new[] { "drafter", "checker" })]
    [InlineData("three-step-pipeline.json", new[] { "gather", "sort", "summarise" })]
    [InlineData("delivery-chain.json", new[] { "planner", "changer", "checker" })]
    public async Task Pipelines_ImportValidateAndRunInOrder(string file, string[] order)
    {
        var result = Import(file);
        using var ws = WithStandInClaude();

        var (run, outcome) = await ws.RunAsync(result.Yaml);

        Assert.Equal(RunStatus.Succeeded, outcome.Status);
        for (var i = 1; i < order.Length; i++)
            Assert.True(
                EngineProbe.IndexOf(run, $"{order[i - 1]}.done") < EngineProbe.IndexOf(run, $"{order[i]}.started"),
                $"{order[i]} started before {order[i - 1]} was done"
            );
    }

    [Fact]
    public void Delivery_WarnsAboutExactlyWhatChanged()
    {
        var result = Import("delivery-chain.json");

        Assert.Equal(
            [
                "$.default_agent_profile",
                "$.config.session_prefix",
                "$.config.on_complete",
                "$.config.project_root",
                "$.config.monitor",
                "$.agents[0].emits",
                "$.agents[0].context.read_first",
                "$.agents[0].authorities",
                "$.agents[1].emits",
                "$.agents[2].emits",
                "$.routing.error_handler",
            ],
            WarnedPaths(result)
        );
        Assert.Contains("title: Change Planner", result.Yaml);
        Assert.Contains("retry: {max: 2, delay: 5s, max_delay: 60s}", result.Yaml);
        Assert.Contains("on: [change-made, planner.failed, changer.failed]", result.Yaml);
    }

    [Fact]
    public async Task ReviewLoop_LoopsOnTheVerdict_QuorumAndDefaultBranchRun()
    {
        var result = Import("review-loop.json");
        Assert.Equal(
            [
                "$.agents[0].emits",
                "$.agents[1].$ref",
                "$.agents[1].emits",
                "$.agents[2].emits",
                "$.agents[3].emits",
                "$.agents[0].on_timeout",
                "$.agents[0].on_error",
            ],
            WarnedPaths(result)
        );
        using var ws = WithStandInClaude();

        var (run, outcome) = await ws.RunAsync(result.Yaml);

        Assert.Equal(RunStatus.Succeeded, outcome.Status);
        var types = TestWorkspace.Types(run);
        Assert.Equal(2, types.Count(t => t == "writer.done")); // sent back once ("changes"), then approved
        Assert.Equal(AgentStatus.Done, EngineProbe.StatusOf(run, "publish")); // 2 of 2 checks
        Assert.Equal(AgentStatus.Done, EngineProbe.StatusOf(run, "escalate")); // the default branch took "approved"
        Assert.Equal(AgentStatus.Skipped, EngineProbe.StatusOf(run, "stop-on-reviewer-verdict"));
        Assert.Equal(AgentStatus.Skipped, EngineProbe.StatusOf(run, "error-alert"));
    }

    [Theory]
    [InlineData(
        "two-step-handoff.json",
        new[] { "$.config.monitor", "$.config.monitor_interval", "$.agents[0].emits", "$.agents[1].emits" }
    )]
    [InlineData(
        "three-step-pipeline.json",
        new[]
        {
            "$.config.monitor",
            "$.config.monitor_interval",
            "$.agents[0].emits",
            "$.agents[1].emits",
            "$.agents[2].emits",
        }
    )]
    public void Pipelines_WarnAboutExactlyWhatChanged(string file, string[] paths) =>
        Assert.Equal(paths, WarnedPaths(Import(file)));

    [Fact]
    public async Task ReviewLoop_RejectedTwiceThenApproved_WriterRunsThreeTimes()
    {
        using var ws = WithStandInClaude(rejections: 2);

        var (run, outcome) = await ws.RunAsync(Import("review-loop.json").Yaml);

        Assert.Equal(RunStatus.Succeeded, outcome.Status);
        Assert.Equal(3, TestWorkspace.Types(run).Count(t => t == "writer.done"));
        Assert.Equal(AgentStatus.Done, EngineProbe.StatusOf(run, "publish"));
    }

    [Fact]
    public async Task ReviewLoop_NeverApproved_StopsAtMaxRounds_RunFails()
    {
        using var ws = WithStandInClaude(rejections: 99);

        var (run, outcome) = await ws.RunAsync(Import("review-loop.json").Yaml);

        Assert.Equal(RunStatus.Failed, outcome.Status);
        Assert.Equal(3, TestWorkspace.Types(run).Count(t => t == "writer.done"));
        Assert.Equal("agent 'writer' ran its max_rounds (3) and 'reviewer.verdict' asked for one more", outcome.Reason);
    }

    [Theory]
    [InlineData(
        """{"name": "x", "agents": [{"id": "a", "task": "t", "triggers": ["webhook"]}]}""",
        "$.agents[0].triggers[0]: no agent emits 'webhook'"
    )]
    [InlineData(
        """{"name": "x", "agents": [{"id": "a", "$ref": "lib-agent"}]}""",
        "$.agents[0].$ref: 'lib-agent' names a library agent"
    )]
    [InlineData(
        """{"name": "x", "agents": [{"id": "a", "task": "t", "retry": {"max_retries": 1, "backoff": "linear"}}]}""",
        "$.agents[0].retry.backoff: 'linear' cannot be expressed"
    )]
    [InlineData(
        """{"name": "x", "agents": [{"id": "a", "task": "t", "emits": "e"}], "branches": {"e": {"conditions": [{"if": "len(data.items) > 2", "then": "a"}]}}}""",
        "$.branches.e.conditions[0].if: 'len(data.items) > 2' cannot be expressed"
    )]
    [InlineData(
        """{"name": "x", "agents": [{"id": "a"}]}""",
        "$.agents[0]: the agent has no 'task', 'prompt' or 'spec'"
    )]
    [InlineData("""[1]""", "$: a Mentiko chain is a JSON object")]
    public void WhatCannotBeExpressed_IsAnErrorNamingTheField(string json, string message)
    {
        var error = Assert.Throws<MentikoImportException>(() => MentikoImporter.Convert(json));
        Assert.StartsWith(message, error.Message);
    }

    [Fact]
    public void LoopWithoutMaxRounds_RefusedByValidation_NotImportedAsASilentNonLoop()
    {
        var json = """
            {"name": "x", "agents": [
              {"id": "w", "task": "t", "triggers": ["manual-start"], "emits": "d"},
              {"id": "r", "task": "t", "triggers": ["d"], "emits": ["verdict"]}],
             "branches": {"verdict": "w"}}
            """;

        var error = Assert.Throws<MentikoImportException>(() => MentikoImporter.Convert(json));
        Assert.Contains("set 'max_rounds' (2 or more)", error.Message);
    }
}
