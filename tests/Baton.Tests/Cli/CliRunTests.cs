using System.Text.Json;
using Baton.Runs;

namespace Baton.Tests.Cli;

public class CliRunTests
{
    private const string Hello = """
        name: hello
        inputs:
          name: { default: world }
        agents:
          greet:
            run: echo "Hello, $BATON_INPUT_NAME!"
          shout:
            run: tr a-z A-Z < "$BATON_OUT_GREET"
        """;

    [Fact]
    public async Task Run_Succeeds_PrintsFolder_AndShowJsonHasTheSpecShape()
    {
        using var ws = new TestWorkspace();
        ws.Write("chains/hello.yaml", Hello);

        var run = await BatonCli.RunAsync(ws.Root, "run", "chains/hello.yaml", "--input", "name=Ada");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("folder: runs/", run.Stdout);

        var show = await BatonCli.RunAsync(ws.Root, "show", "last", "--json");
        Assert.Equal(0, show.ExitCode);
        var json = JsonDocument.Parse(show.Stdout).RootElement;
        Assert.Equal("hello", json.GetProperty("chain").GetString());
        Assert.Equal("succeeded", json.GetProperty("status").GetString());
        Assert.Equal(0m, json.GetProperty("cost_usd").GetDecimal());
        Assert.NotEqual(JsonValueKind.Null, json.GetProperty("finished").ValueKind);
        var shout = json.GetProperty("agents").GetProperty("shout");
        Assert.Equal("done", shout.GetProperty("status").GetString());
        Assert.Equal(1, shout.GetProperty("attempts").GetInt32());
        Assert.Equal("agents/shout/output", shout.GetProperty("output").GetString());
        var id = json.GetProperty("id").GetString()!;
        Assert.Equal("HELLO, ADA!\n", File.ReadAllText(Path.Combine(ws.Root, "runs", id, "agents/shout/output")));
    }

    [Fact]
    public async Task RunJson_PrintsOnlyTheSummary()
    {
        using var ws = new TestWorkspace();
        ws.Write("chains/hello.yaml", Hello);
        var run = await BatonCli.RunAsync(ws.Root, "run", "hello", "--json");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("succeeded", JsonDocument.Parse(run.Stdout).RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task FailedAgent_Exit1_SaysWhichAgentAndWhy()
    {
        using var ws = new TestWorkspace();
        ws.Write(
            "chains/bad.yaml",
            """
            name: bad
            agents:
              broken:
                run: |
                  echo "the database is on fire" >&2
                  exit 3
              after:
                run: echo never
            """
        );
        var run = await BatonCli.RunAsync(ws.Root, "run", "chains/bad.yaml");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("the database is on fire", run.Stdout);
        Assert.Contains("agent 'broken' failed: exited with code 3", run.Stdout);
        Assert.Contains("baton logs", run.Stdout);
        var show = JsonDocument.Parse((await BatonCli.RunAsync(ws.Root, "show", "last", "--json")).Stdout).RootElement;
        Assert.Equal("skipped", show.GetProperty("agents").GetProperty("after").GetProperty("status").GetString());
    }

    [Fact]
    public async Task InvalidChain_Exit2_WithFileLineColumnAndSuggestion()
    {
        using var ws = new TestWorkspace();
        ws.Write(
            "chains/typo.yaml",
            """
            name: typo
            agents:
              a:
                run: echo hi
                nedds: []
            """
        );
        var run = await BatonCli.RunAsync(ws.Root, "run", "chains/typo.yaml");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("typo.yaml:5:5", run.Stderr);
        Assert.Contains("did you mean 'needs'", run.Stderr);
        Assert.False(
            Directory.Exists(Path.Combine(ws.Root, "runs"))
                && Directory.EnumerateDirectories(Path.Combine(ws.Root, "runs")).Any(),
            "no run is created for an invalid chain"
        );

        var validate = await BatonCli.RunAsync(ws.Root, "validate", "chains/typo.yaml");
        Assert.Equal(2, validate.ExitCode);
        Assert.Contains("typo.yaml:5:5", validate.Stderr);
    }

    [Theory]
    [InlineData("run", "chains/missing.yaml")]
    [InlineData("run", "chains/hello.yaml", "--input", "nmae=x")]
    [InlineData("run", "chains/hello.yaml", "--input", "novalue")]
    [InlineData("show", "../../etc")]
    [InlineData("show", "20991231-000000-nope-abcd")]
    [InlineData("logs", "last", "no-such-agent")]
    [InlineData("emit", "ready")]
    [InlineData("run")]
    [InlineData("frobnicate")]
    public async Task BadInput_Exit2_WithAMessage(params string[] args)
    {
        using var ws = new TestWorkspace();
        ws.Write("chains/hello.yaml", Hello);
        if (args[0] == "logs")
            Assert.Equal(0, (await BatonCli.RunAsync(ws.Root, "run", "hello")).ExitCode);
        var result = await BatonCli.RunAsync(ws.Root, args);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.False(string.IsNullOrWhiteSpace(result.Stderr));
    }

    [Fact]
    public async Task UnknownInput_SuggestsTheRightName()
    {
        using var ws = new TestWorkspace();
        ws.Write("chains/hello.yaml", Hello);
        var result = await BatonCli.RunAsync(ws.Root, "run", "hello", "--input", "nmae=x");
        Assert.Contains("did you mean 'name'", result.Stderr);
    }

    [Theory]
    [InlineData("init")]
    [InlineData("validate")]
    [InlineData("run")]
    [InlineData("runs")]
    [InlineData("show")]
    [InlineData("events")]
    [InlineData("logs")]
    [InlineData("resume")]
    [InlineData("cancel")]
    [InlineData("emit")]
    [InlineData("decide")]
    [InlineData("costs")]
    [InlineData("secret")]
    [InlineData("serve")]
    [InlineData("doctor")]
    [InlineData("workspace")]
    [InlineData("token")]
    public async Task EveryCommand_HasHelp(string command)
    {
        var result = await BatonCli.RunAsync(Path.GetTempPath(), command, "--help");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Usage:", result.Stdout);
        Assert.Contains(command, result.Stdout);
    }

    [Fact]
    public async Task Init_ThenRunTheExample_Succeeds()
    {
        using var ws = new TestWorkspace();
        Assert.Equal(0, (await BatonCli.RunAsync(ws.Root, "init", "team")).ExitCode);
        var dir = Path.Combine(ws.Root, "team");
        Assert.True(File.Exists(Path.Combine(dir, "baton.yaml")));
        var run = await BatonCli.RunAsync(dir, "run", "chains/hello.yaml", "--input", "name=you");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(2, (await BatonCli.RunAsync(ws.Root, "init", "team")).ExitCode);
    }

    [Fact]
    public async Task Init_ThroughTheCheckoutsLauncher_HintNamesACommandThatWorks()
    {
        using var ws = new TestWorkspace();
        // As `./baton init team` from a clone: the launcher says where it is, and no `baton` is on PATH.
        var launched = new Dictionary<string, string>
        {
            ["BATON_LAUNCHER"] = Path.Combine(ws.Root, "baton"),
            ["PATH"] = "/usr/bin:/bin",
        };
        var init = await BatonCli.RunAsync(ws.Root, launched, "init", "team");
        Assert.True(init.ExitCode == 0, init.ToString());
        Assert.Contains("try:  cd team && ../baton run chains/hello.yaml", init.Stdout);
    }

    [Fact]
    public async Task EventsAndLogs_ShowWhatHappened()
    {
        using var ws = new TestWorkspace();
        ws.Write("chains/hello.yaml", Hello);
        Assert.Equal(0, (await BatonCli.RunAsync(ws.Root, "run", "hello")).ExitCode);

        var events = await BatonCli.RunAsync(ws.Root, "events", "last", "--json");
        var types = events
            .Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("type").GetString())
            .ToList();
        Assert.Equal(
            ["run.started", "greet.started", "greet.done", "shout.started", "shout.done", "run.finished"],
            types
        );

        var logs = await BatonCli.RunAsync(ws.Root, "logs", "last");
        Assert.Contains("greet | Hello, world!", logs.Stdout);
        Assert.Contains("shout | HELLO, WORLD!", logs.Stdout);

        var runs = await BatonCli.RunAsync(ws.Root, "runs", "--status", RunStatus.Succeeded.Wire());
        Assert.Contains("succeeded", runs.Stdout);
    }
}
