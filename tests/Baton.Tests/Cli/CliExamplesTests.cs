using System.Diagnostics;
using System.Text.Json;

namespace Baton.Tests.Cli;

/// <summary>The README's examples keep working: every example validates, and the offline ones run.</summary>
public class CliExamplesTests
{
    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Baton.slnx")))
            dir = dir.Parent;
        return dir?.FullName
            ?? throw new DirectoryNotFoundException("repo root (Baton.slnx) not found above the test binaries");
    }

    public static TheoryData<string> Examples() =>
        [.. Directory.EnumerateFiles(Path.Combine(RepoRoot(), "examples"), "*.yaml").Select(f => Path.GetFileName(f))];

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task Example_Validates(string example)
    {
        var result = await BatonCli.RunAsync(RepoRoot(), "validate", Path.Combine("examples", example));
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    /// <summary>A workspace holding a copy of examples/ (prompt files must live inside the workspace).</summary>
    private static TestWorkspace WithExamples()
    {
        var ws = new TestWorkspace();
        foreach (
            var file in Directory.EnumerateFiles(Path.Combine(RepoRoot(), "examples"), "*", SearchOption.AllDirectories)
        )
            ws.Write(
                Path.Combine("examples", Path.GetRelativePath(Path.Combine(RepoRoot(), "examples"), file)),
                File.ReadAllText(file)
            );
        return ws;
    }

    [Theory]
    [InlineData("hello.yaml", 0)]
    [InlineData("build-and-notify.yaml", 0)]
    [InlineData("review.yaml", 4)]
    [InlineData("research-digest.yaml", 4)]
    [InlineData("write-review.yaml", 0)]
    [InlineData("triage.yaml", 0)]
    [InlineData("three-reviews.yaml", 0)]
    public async Task Example_RunsOffline(string example, int exitCode)
    {
        using var ws = WithExamples();
        var result = await BatonCli.RunAsync(
            ws.Root,
            new Dictionary<string, string> { ["OPENAI_API_KEY"] = "", ["ANTHROPIC_API_KEY"] = "" },
            "run",
            Path.Combine("examples", example)
        );
        Assert.True(result.ExitCode == exitCode, result.ToString());
    }

    [Fact]
    public async Task ExampleCases_PassOffline()
    {
        using var ws = WithExamples();
        var result = await BatonCli.RunAsync(
            ws.Root,
            new Dictionary<string, string> { ["OPENAI_API_KEY"] = "", ["ANTHROPIC_API_KEY"] = "" },
            "test",
            Path.Combine("examples", "research-digest.yaml"),
            "--cases",
            Path.Combine("examples", "tests", "research-digest.yaml")
        );
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("2 of 2 cases passed", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResearchDigest_ApprovedThroughDecide_PublishesTheDraft()
    {
        using var ws = WithExamples();
        var env = new Dictionary<string, string> { ["OPENAI_API_KEY"] = "", ["ANTHROPIC_API_KEY"] = "" };
        Assert.Equal(4, (await BatonCli.RunAsync(ws.Root, env, "run", "examples/research-digest.yaml")).ExitCode);
        var decide = await BatonCli.RunAsync(ws.Root, env, "decide", "last", "review", "approve");
        Assert.True(decide.ExitCode == 0, decide.ToString());
        var show = JsonDocument.Parse((await BatonCli.RunAsync(ws.Root, "show", "last", "--json")).Stdout).RootElement;
        var id = show.GetProperty("id").GetString()!;
        Assert.StartsWith(
            "[offline]",
            File.ReadAllText(Path.Combine(ws.Root, "runs", id, "work", "out", "summary.md"))
        );
        Assert.True(
            Directory.EnumerateFiles(Path.Combine(ws.Root, "runs", id, "agents", "research"), "call-*.json").Any(),
            "every LLM call is recorded"
        );
    }
}
