using Baton.Import;

namespace Baton.Tests.Cli;

/// <summary>`baton import mentiko` through the real command line: a `spec` file becomes `spec:`, not a copy.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class CliImportTests : IDisposable
{
    private const string Chain = """
        {"name": "Spec Chain", "agents": [
          {"id": "writer", "cli": "claude", "spec": "specs/writer.md", "task": "Be brief.", "triggers": ["manual-start"]}]}
        """;

    private readonly TestWorkspace _ws = new();

    public CliImportTests()
    {
        _ws.Write("mentiko/chain.json", Chain);
        _ws.Write("mentiko/specs/writer.md", "Write the release notes.");
        var tool = _ws.Write("tools/claude", "#!/bin/bash\nprintf '%s' \"${@: -1}\"\n");
        File.SetUnixFileMode(tool, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        _ws.Write("baton.yaml", $"clis:\n  claude: {{ command: [\"{tool}\"] }}\n");
    }

    public void Dispose() => _ws.Dispose();

    [Fact]
    public async Task Spec_WithOutputFile_WrittenAsSpecRelativeToTheChain_AndTheRunGivesItsTextToTheTool()
    {
        var import = await BatonCli.RunAsync(
            _ws.Root,
            "import",
            "mentiko",
            "mentiko/chain.json",
            "-o",
            "chains/spec.yaml"
        );
        Assert.True(import.ExitCode == 0, import.ToString());
        var yaml = File.ReadAllText(Path.Combine(_ws.Root, "chains", "spec.yaml"));
        Assert.Contains("spec: ../mentiko/specs/writer.md", yaml);
        Assert.DoesNotContain("Write the release notes", yaml);
        Assert.DoesNotContain("spec", import.Stderr.Replace("spec.yaml", "")); // nothing changed in meaning: no warning

        var run = await BatonCli.RunAsync(_ws.Root, "run", "chains/spec.yaml");

        Assert.True(run.ExitCode == 0, run.ToString());
        var output = Directory.GetFiles(Path.Combine(_ws.Root, "runs"), "output", SearchOption.AllDirectories).Single();
        Assert.Equal("Write the release notes.\n\nBe brief.", File.ReadAllText(output));
    }

    [Fact]
    public void Spec_ToStdout_CopiedIntoTheTask_WithAWarning()
    {
        var result = MentikoImporter.Convert(Chain, Path.Combine(_ws.Root, "mentiko"));

        Assert.Contains("Write the release notes.", result.Yaml);
        Assert.DoesNotContain("spec:", result.Yaml);
        Assert.Contains(
            "$.agents[0].spec: the spec file 'specs/writer.md' is copied into the task (with -o FILE.yaml it is named by 'spec:' instead)",
            result.Warnings
        );
    }

    [Fact]
    public void Spec_OutsideTheOutputsWorkspace_CopiedIntoTheTask_WithAWarning()
    {
        using var other = new TestWorkspace();
        other.Write("baton.yaml", "");
        var target = Path.Combine(other.Root, "chains", "spec.yaml");

        var result = MentikoImporter.Convert(Chain, Path.Combine(_ws.Root, "mentiko"), outputPath: target);

        Assert.Contains("Write the release notes.", result.Yaml);
        Assert.Contains(result.Warnings, w => w.Contains($"is outside the workspace of {target}"));
    }
}
