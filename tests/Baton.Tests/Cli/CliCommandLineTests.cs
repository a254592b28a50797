namespace Baton.Tests.Cli;

/// <summary>
/// `baton` builds only the command it was asked for (Program.cs); what a user sees must not depend on that: top-level
/// help lists every command, a misspelt one is refused with the same words, and a command named after `--workspace`'s
/// value is still found.
/// </summary>
public sealed class CliCommandLineTests : IDisposable
{
    private readonly TestWorkspace _ws = new();

    public void Dispose() => _ws.Dispose();

    [Fact]
    public async Task TopLevelHelp_ListsEveryCommand()
    {
        var help = await BatonCli.RunAsync(_ws.Root, "--help");

        Assert.Equal(0, help.ExitCode);
        foreach (
            var command in new[]
            {
                "init",
                "validate",
                "run",
                "runs",
                "decide",
                "prompt",
                "serve",
                "workspace",
                "token",
            }
        )
            Assert.Matches($@"(?m)^\s+{command}\b", help.Stdout);
    }

    [Fact]
    public async Task MisspeltCommand_IsRefused_AndPointsAtTopLevelHelp()
    {
        var result = await BatonCli.RunAsync(_ws.Root, "runz");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Unrecognized command or argument 'runz'", result.Stderr);
        Assert.Contains("Try 'baton --help'.", result.Stderr);
    }

    [Fact]
    public async Task WorkspaceOptionBeforeTheCommand_WhoseValueIsACommandName_StillRunsTheCommand()
    {
        // A workspace folder named "run": the command is the word after it, `validate`.
        var folder = Path.Combine(_ws.Root, "run");
        Directory.CreateDirectory(Path.Combine(folder, "chains"));
        File.WriteAllText(Path.Combine(folder, "chains", "one.yaml"), "name: one\nagents:\n  a:\n    run: \"true\"\n");

        var result = await BatonCli.RunAsync(
            _ws.Root,
            "--workspace",
            "run",
            "validate",
            Path.Combine(folder, "chains", "one.yaml")
        );

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("ok", result.Stdout);
    }
}
