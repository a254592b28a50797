using Baton.Chains;

namespace Baton.Tests.Chains;

public sealed class ChainFilesTests : IDisposable
{
    private readonly string _workspace = Directory.CreateTempSubdirectory("baton-chains-").FullName;

    public void Dispose() => Directory.Delete(_workspace, recursive: true);

    private string Write(string relativePath, string text)
    {
        var path = Path.Combine(_workspace, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void PromptAndScriptFiles_ReadRelativeToChain()
    {
        Write("prompts/research.md", "Research {{ inputs.topic }}\n");
        Write("chains/scripts/publish.sh", "echo hi\n");
        var chainPath = Write(
            "chains/digest.yaml",
            """
            name: digest
            inputs: { topic: buses }
            agents:
              research: { prompt: ../prompts/research.md }
              publish: { run: scripts/publish.sh }
            """
        );

        var chain = ChainLoader.LoadFile(chainPath);

        Assert.Equal(
            new PromptSpec("Research {{ inputs.topic }}\n", "../prompts/research.md", null, "default", "text", null),
            chain.Agents[0].Prompt
        );
        Assert.Equal(new ScriptSpec("echo hi\n", "scripts/publish.sh"), chain.Agents[1].Script);
    }

    [Fact]
    public void MissingPromptFile_ErrorAtPromptValue()
    {
        var chainPath = Write("chains/c.yaml", "name: c\nagents:\n  a:\n    prompt: nothere.md\n");

        var error = Assert.Single(ChainLoader.ValidateFile(chainPath));

        Assert.Equal(chainPath, error.File);
        Assert.Equal(new SourceLocation(4, 13), error.Location);
        Assert.StartsWith("prompt file 'nothere.md' not found", error.Message);
    }

    [Fact]
    public void ReferenceEscapingWorkspace_IsRejected()
    {
        var chainPath = Write(
            "chains/c.yaml",
            """
            name: c
            agents:
              a: { prompt: ../../etc/passwd.txt }
              b: { run: ../../../../../../etc/evil.sh }
            """
        );

        var errors = ChainLoader.ValidateFile(chainPath);

        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.Contains("is outside the workspace", e.Message));
        Assert.Equal(new SourceLocation(3, 16), errors[0].Location);
    }

    [Fact]
    public void ExplicitWorkspaceRoot_BoundsReferences()
    {
        Write("prompts/p.md", "hello");
        var chainPath = Write("chains/c.yaml", "name: c\nagents:\n  a: { prompt: ../prompts/p.md }\n");

        var error = Assert.Single(
            ChainLoader.ValidateFile(chainPath, workspaceRoot: Path.Combine(_workspace, "chains"))
        );

        Assert.Contains("outside the workspace", error.Message);
        Assert.Empty(ChainLoader.ValidateFile(chainPath, workspaceRoot: _workspace));
    }

    [Fact]
    public void SymlinkOutOfWorkspace_IsRejected()
    {
        var outside = Directory.CreateTempSubdirectory("baton-outside-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(outside, "secret.md"), "secret");
            Directory.CreateDirectory(Path.Combine(_workspace, "chains"));
            File.CreateSymbolicLink(Path.Combine(_workspace, "chains", "link.md"), Path.Combine(outside, "secret.md"));
            var chainPath = Write("chains/c.yaml", "name: c\nagents:\n  a: { prompt: link.md }\n");

            var error = Assert.Single(ChainLoader.ValidateFile(chainPath));

            Assert.Contains("link to a file outside the workspace", error.Message);
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }

    [Fact]
    public void FindRoot_PrefersBatonYamlThenChainsParent()
    {
        var chainPath = Write("chains/sub/c.yaml", "");
        Assert.Equal(Path.Combine(_workspace, "chains", "sub"), ChainFiles.FindRoot(chainPath));

        Write("baton.yaml", "");
        Assert.Equal(_workspace, ChainFiles.FindRoot(chainPath));

        var plain = Write("other/chains/x.yaml", "");
        File.Delete(Path.Combine(_workspace, "baton.yaml"));
        Assert.Equal(Path.Combine(_workspace, "other"), ChainFiles.FindRoot(plain));
    }

    [Fact]
    public void MissingChainFile_IsErrorNotException()
    {
        var error = Assert.Single(ChainLoader.ValidateFile(Path.Combine(_workspace, "none.yaml")));

        Assert.StartsWith("cannot read chain file", error.Message);
    }
}
