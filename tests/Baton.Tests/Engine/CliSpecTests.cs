using Baton.Chains;
using Baton.Runs;

namespace Baton.Tests.Engine;

/// <summary>`spec:` on a `cli:` agent: a prompt file whose text is the tool's task (docs/chains.md, CLI agents).</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class CliSpecTests
{
    /// <summary>A stand-in CLI tool that prints its last argument (the task) as its output.</summary>
    private static TestWorkspace WithEchoTool()
    {
        var ws = new TestWorkspace();
        var tool = ws.Write("tools/echo-task", "#!/bin/bash\nprintf '%s' \"${@: -1}\"\n");
        File.SetUnixFileMode(tool, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        ws.Write("baton.yaml", $"clis:\n  fake: {{ command: [\"{tool}\", --print] }}\n");
        return ws;
    }

    [Fact]
    public async Task Spec_FileTextIsTheTask_TemplatedLikeAPrompt_AndTheTaskFollowsIt()
    {
        using var ws = WithEchoTool();
        ws.Write("prompts/write.md", "Write about {{ inputs.topic }} using {{ agents.notes.output }}.");

        var (run, outcome) = await ws.RunAsync(
            """
            name: spec
            inputs: { topic: buses }
            agents:
              notes:
                run: printf 'the notes'
              write:
                cli: fake
                spec: ../prompts/write.md
              again:
                cli: fake
                spec: ../prompts/write.md
                task: "Keep it short."
            """
        );

        Assert.Equal(RunStatus.Succeeded, outcome.Status);
        Assert.Equal("Write about buses using the notes.", File.ReadAllText(run.AgentOutput("write")));
        Assert.Equal(
            "Write about buses using the notes.\n\nKeep it short.",
            File.ReadAllText(run.AgentOutput("again"))
        );
        // The run keeps the spec it ran, as it keeps a prompt file.
        Assert.Equal(
            "Write about {{ inputs.topic }} using {{ agents.notes.output }}.",
            File.ReadAllText(Path.Combine(run.Path, "prompts", "prompts", "write.md"))
        );
    }

    [Fact]
    public async Task Spec_EditedAfterTheRunStarted_TheRunUsesItsSnapshot()
    {
        using var ws = WithEchoTool();
        ws.Write("prompts/write.md", "first version");
        var run = await ws.CreateRunAsync("name: spec\nagents:\n  write: { cli: fake, spec: ../prompts/write.md }\n");
        ws.Write("prompts/write.md", "edited later");

        var outcome = await new RunEngine(ws.Workspace, TestWorkspace.FastOptions()).RunAsync(run);

        Assert.Equal(RunStatus.Succeeded, outcome.Status);
        Assert.Equal("first version", File.ReadAllText(run.AgentOutput("write")));
    }

    [Theory]
    [InlineData("spec: ../../outside.md", "is outside the workspace", 5)]
    [InlineData("spec: /etc/passwd", "must be a relative path", 5)]
    [InlineData("spec: missing.md", "spec file 'missing.md' not found (paths are relative to the chain file)", 5)]
    [InlineData("spec: ../prompts/x.md\n    task: \"{{ inputs.nope }}\"", "unknown input 'nope'", 6)]
    public void Spec_BadPath_ErrorAtItsLine(string spec, string message, int line)
    {
        using var ws = WithEchoTool();
        ws.Write("prompts/x.md", "x");
        var chain = ws.Write("chains/c.yaml", $"name: c\nagents:\n  a:\n    cli: fake\n    {spec}\n");

        var error = Assert.Single(ChainLoader.ValidateFile(chain, ws.Root));

        Assert.Contains(message, error.Message);
        Assert.Equal(line, error.Location.Line);
    }

    [Fact]
    public void Spec_UnknownTemplateInTheFile_ErrorNamesTheFile()
    {
        using var ws = WithEchoTool();
        ws.Write("prompts/x.md", "Use {{ agents.later.output }}");
        var chain = ws.Write("chains/c.yaml", "name: c\nagents:\n  a: { cli: fake, spec: ../prompts/x.md }\n");

        var error = Assert.Single(ChainLoader.ValidateFile(chain, ws.Root));

        Assert.Contains("spec file '../prompts/x.md'", error.Message);
        Assert.Equal(new SourceLocation(3, 19), error.Location);
    }

    [Fact]
    public void Spec_SymlinkOutOfTheWorkspace_IsRefused()
    {
        using var ws = WithEchoTool();
        var outside = Directory.CreateTempSubdirectory("baton-spec-outside-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(outside, "secret.md"), "secret");
            Directory.CreateDirectory(Path.Combine(ws.Root, "chains"));
            File.CreateSymbolicLink(Path.Combine(ws.Root, "chains", "link.md"), Path.Combine(outside, "secret.md"));
            var chain = ws.Write("chains/c.yaml", "name: c\nagents:\n  a: { cli: fake, spec: link.md }\n");

            var error = Assert.Single(ChainLoader.ValidateFile(chain, ws.Root));

            Assert.Contains("link to a file outside the workspace", error.Message);
            Assert.Equal(new SourceLocation(3, 25), error.Location);
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }

    [Fact]
    public void NeitherTaskNorSpec_IsAnError()
    {
        using var ws = WithEchoTool();
        var chain = ws.Write("chains/c.yaml", "name: c\nagents:\n  a: { cli: fake }\n");

        var error = Assert.Single(ChainLoader.ValidateFile(chain, ws.Root));

        Assert.Equal("cli agent 'a' needs a 'task' or a 'spec' (a prompt file)", error.Message);
    }
}
