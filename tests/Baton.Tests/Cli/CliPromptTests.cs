using System.Diagnostics;
using System.Text.Json;
using Baton.Tests.Llm;

namespace Baton.Tests.Cli;

/// <summary>`baton prompt log|diff` and `baton mark` through the real command line, the prompt agent calling the fake OpenAI-wire server.</summary>
public sealed class CliPromptTests : IDisposable
{
    private readonly FakeLlmServer _server = new();
    private readonly TestWorkspace _ws = new();
    private readonly Dictionary<string, string> _env = new() { ["TEST_KEY"] = LlmKit.Key };

    public CliPromptTests()
    {
        _ws.Write("baton.yaml", LlmKit.OpenAiConfig(_server));
        _ws.Write(
            "chains/greet.yaml",
            """
            name: greet
            agents:
              write:
                prompt: ../prompts/greet.md
                system: You are terse.
            """
        );
    }

    public void Dispose()
    {
        _server.Dispose();
        _ws.Dispose();
    }

    /// <summary>Writes the prompt, runs the chain (the fake answers ok, or 401 so the run fails), returns the run id.</summary>
    private async Task<string> RunWith(string prompt, bool succeed = true)
    {
        _ws.Write("prompts/greet.md", prompt);
        _server.Then(succeed ? FakeReply.Text("hello") : FakeReply.Error(401, "bad key"));
        var run = await Baton("run", "greet", "--json");
        Assert.True((run.ExitCode == 0) == succeed, run.ToString());
        return JsonDocument.Parse(run.Stdout).RootElement.GetProperty("id").GetString()!;
    }

    private Task<BatonCli.Result> Baton(params string[] args) => BatonCli.RunAsync(_ws.Root, _env, args);

    private async Task<JsonElement[]> Log()
    {
        var log = await Baton("prompt", "log", "greet", "write", "--json");
        Assert.True(log.ExitCode == 0, log.ToString());
        return [.. JsonDocument.Parse(log.Stdout).RootElement.EnumerateArray()];
    }

    [Fact]
    public async Task PromptEditedTwice_ShowsThreeVersions_WithTheirRunsAndHashes()
    {
        var first = await RunWith("Say hi.\n");
        await RunWith("Say hello.\n");
        await RunWith("Say hello.\n");
        await RunWith("Say hello warmly.\n", succeed: false);

        var versions = await Log();
        Assert.Equal(3, versions.Length);
        Assert.Equal([1, 2, 1], versions.Select(v => v.GetProperty("runs").GetInt32()));
        Assert.Equal(1, versions[2].GetProperty("statuses").GetProperty("failed").GetInt32());
        Assert.Equal(first, versions[0].GetProperty("latest_run").GetString());
        Assert.Equal(
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("Say hello.\n"u8)),
            versions[1].GetProperty("prompt_sha256").GetString()
        );
        Assert.Equal("prompts/greet.md", versions[1].GetProperty("source").GetString());
        Assert.True(versions[1].GetProperty("last_good").GetBoolean());
        Assert.True(versions[2].GetProperty("current").GetBoolean());

        var show = await Baton("show", first, "--json");
        var recorded = JsonDocument.Parse(show.Stdout).RootElement.GetProperty("versions");
        Assert.Equal("chains/greet.yaml", recorded.GetProperty("chain").GetProperty("source").GetString());
        Assert.Equal(64, recorded.GetProperty("chain").GetProperty("sha256").GetString()!.Length);
        var write = recorded.GetProperty("prompts").GetProperty("write");
        Assert.Equal(versions[0].GetProperty("version").GetString(), write.GetProperty("version").GetString());
        Assert.Equal(
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("You are terse."u8)),
            write.GetProperty("system_sha256").GetString()
        );
    }

    [Fact]
    public async Task DiffAgainstLastGood_SkipsFailedRuns_AndRunsMarkedBad()
    {
        var v1 = await RunWith("Line one.\nOriginal ask.\n");
        var v2 = await RunWith("Line one.\nSecond ask.\n");
        await RunWith("Line one.\nThird ask.\n", succeed: false);
        _ws.Write("prompts/greet.md", "Line one.\nFourth ask.\n");

        var diff = await Baton("prompt", "diff", "greet", "write");
        Assert.True(diff.ExitCode == 0, diff.ToString());
        Assert.Contains("-Second ask.", diff.Stdout, StringComparison.Ordinal);
        Assert.Contains("+Fourth ask.", diff.Stdout, StringComparison.Ordinal);
        Assert.Contains($"last good, run {v2}", diff.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("\e[", diff.Stdout, StringComparison.Ordinal); // no colour into a pipe

        var mark = await Baton("mark", v2, "bad");
        Assert.True(mark.ExitCode == 0, mark.ToString());
        diff = await Baton("prompt", "diff", "greet", "write", "--against", "last-good");
        Assert.Contains("-Original ask.", diff.Stdout, StringComparison.Ordinal);
        Assert.Contains($"last good, run {v1}", diff.Stdout, StringComparison.Ordinal);

        await Baton("mark", v2, "good");
        diff = await Baton("prompt", "diff", "greet", "write");
        Assert.Contains("-Second ask.", diff.Stdout, StringComparison.Ordinal);

        diff = await Baton("prompt", "diff", "greet", "write", "--against", v1);
        Assert.Contains("-Original ask.", diff.Stdout, StringComparison.Ordinal);
        var third = (await Log())[2].GetProperty("version").GetString()!;
        diff = await Baton("prompt", "diff", "greet", "write", "--against", third[..6]);
        Assert.Contains("-Third ask.", diff.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunWithAFailedCheck_IsNotLastGood_ThoughItSucceeded()
    {
        _ws.Write(
            "chains/greet.yaml",
            """
            name: greet
            agents:
              write:
                prompt: ../prompts/greet.md
                checks:
                  - {type: icontains, value: hello}   # on_fail: warn: the run still succeeds
            """
        );
        var passed = await RunWith("Checked ask.\n");
        _ws.Write("prompts/greet.md", "Unchecked ask.\n");
        _server.Then(FakeReply.Text("goodbye"));
        var warned = await Baton("run", "greet", "--json");
        Assert.True(warned.ExitCode == 0, warned.ToString()); // succeeded, but its check failed
        _ws.Write("prompts/greet.md", "Now.\n");

        var diff = await Baton("prompt", "diff", "greet", "write");
        Assert.True(diff.ExitCode == 0, diff.ToString());
        Assert.Contains("-Checked ask.", diff.Stdout, StringComparison.Ordinal);
        Assert.Contains($"last good, run {passed}", diff.Stdout, StringComparison.Ordinal);
        var versions = await Log();
        Assert.True(versions[0].GetProperty("last_good").GetBoolean());
        Assert.False(versions[1].GetProperty("last_good").GetBoolean());
        Assert.Equal([0, 1], versions.Select(v => v.GetProperty("failed_checks").GetInt32()));
        var log = await Baton("prompt", "log", "greet", "write");
        Assert.Contains("1 succeeded, 1 with failed checks", log.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoGoodRun_OrUnknownAgent_IsAClearError()
    {
        await RunWith("Only.\n", succeed: false);
        var diff = await Baton("prompt", "diff", "greet", "write");
        Assert.Equal(2, diff.ExitCode);
        Assert.Contains("no last known good version", diff.Stderr, StringComparison.Ordinal);
        var log = await Baton("prompt", "log", "greet", "nope");
        Assert.Equal(2, log.ExitCode);
        Assert.Contains("no prompt agent 'nope' (prompt agents: write)", log.Stderr, StringComparison.Ordinal);
        var mark = await Baton("mark", "last", "meh");
        Assert.Equal(2, mark.ExitCode);
    }

    [Fact]
    public async Task GitWorkspace_RecordsHeadCommit_AndWhetherThePromptWasModified()
    {
        _ws.Write("prompts/greet.md", "Committed.\n");
        Git("init", "-q");
        Git("add", "-A");
        Git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "first");
        var head = Git("rev-parse", "HEAD").Trim();

        var clean = await RunWith("Committed.\n");
        var edited = await RunWith("Edited after the commit.\n");

        var cleanGit = Versions(clean).GetProperty("prompts").GetProperty("write").GetProperty("git");
        Assert.Equal(head, cleanGit.GetProperty("commit").GetString());
        Assert.False(cleanGit.GetProperty("modified").GetBoolean());
        var editedGit = Versions(edited).GetProperty("prompts").GetProperty("write").GetProperty("git");
        Assert.True(editedGit.GetProperty("modified").GetBoolean());
        Assert.False(Versions(edited).GetProperty("chain").GetProperty("git").GetProperty("modified").GetBoolean());
    }

    private JsonElement Versions(string runId) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(_ws.Root, "runs", runId, "versions.json"))).RootElement;

    private string Git(params string[] args)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = _ws.Root, RedirectStandardOutput = true };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var git = Process.Start(start)!;
        var output = git.StandardOutput.ReadToEnd();
        git.WaitForExit();
        Assert.Equal(0, git.ExitCode);
        return output;
    }
}
