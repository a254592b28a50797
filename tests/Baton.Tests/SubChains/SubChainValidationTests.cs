using Baton.Chains;
using Baton.Tests.Cli;

namespace Baton.Tests.SubChains;

/// <summary>What `baton validate` says about `chain:` agents, each at its file:line:col.</summary>
public class SubChainValidationTests
{
    private static IReadOnlyList<ChainError> Validate(TestWorkspace ws, string chain) =>
        ChainLoader.ValidateFile(Path.Combine(ws.Root, "chains", $"{chain}.yaml"), ws.Root);

    [Fact]
    public async Task ChainsCallingEachOtherInACycle_IsAnErrorAtTheChainKey_NamingTheCycle()
    {
        using var ws = new TestWorkspace();
        ws.Write("chains/a.yaml", "name: a\nagents:\n  first: { run: echo }\n  call:\n    chain: b\n");
        ws.Write("chains/b.yaml", "name: b\nagents:\n  call: { chain: c }\n");
        ws.Write("chains/c.yaml", "name: c\nagents:\n  back: { chain: a }\n");

        var result = await BatonCli.RunAsync(ws.Root, "validate", "chains/a.yaml");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("chains/a.yaml:5:12:", result.Stdout + result.Stderr);
        Assert.Contains("cycle (a → b → c → a)", result.Stdout + result.Stderr);
    }

    [Fact]
    public void AChainCallingItself_IsAnError()
    {
        using var ws = new TestWorkspace();
        ws.Write("chains/self.yaml", "name: self\nagents:\n  again: { chain: self }\n");

        var error = Assert.Single(Validate(ws, "self"));
        Assert.Contains("cycle (self → self)", error.Message);
        Assert.Equal(new SourceLocation(3, 19), error.Location);
    }

    [Fact]
    public void MissingChain_UnknownOrMissingInputs_AndABadOutputFrom_AreErrors()
    {
        using var ws = new TestWorkspace();
        ws.Write("chains/child.yaml", "name: child\ninputs:\n  topic:\nagents:\n  write: { run: echo }\n");
        ws.Write(
            "chains/parent.yaml",
            """
            name: parent
            agents:
              nothing: { chain: no-such }
              wrong:
                chain: child
                inputs: { topik: x }
                output_from: wirte
            """
        );

        var messages = Validate(ws, "parent").Select(e => e.Message).ToList();

        Assert.Contains(messages, m => m.Contains("there is no chain 'no-such'"));
        Assert.Contains(messages, m => m.Contains("input 'topik'") && m.Contains("did you mean 'topic'"));
        Assert.Contains(messages, m => m.Contains("required input 'topic'"));
        Assert.Contains(messages, m => m.Contains("'wirte'") && m.Contains("did you mean 'write'"));
    }

    [Theory]
    [InlineData("../other/chains/x")]
    [InlineData("/etc/passwd")]
    [InlineData("other-ws/x")]
    public void ChainName_IsAPlainNameOfThisWorkspace_NeverAPath(string name)
    {
        using var ws = new TestWorkspace();
        ws.Write("chains/parent.yaml", $"name: parent\nagents:\n  sub: {{ chain: \"{name}\" }}\n");

        var error = Assert.Single(Validate(ws, "parent"));
        Assert.Contains("must name a chain of this workspace", error.Message);
    }

    [Fact]
    public void NestingDeeperThanTheCap_IsAnError()
    {
        using var ws = new TestWorkspace();
        var depth = ChainLimits.MaxSubChainDepth + 1;
        for (var i = 0; i < depth; i++)
            ws.Write($"chains/c{i}.yaml", $"name: c{i}\nagents:\n  next: {{ chain: c{i + 1} }}\n");
        ws.Write($"chains/c{depth}.yaml", $"name: c{depth}\nagents:\n  leaf: {{ run: echo }}\n");

        Assert.Contains("at most", Assert.Single(Validate(ws, "c0")).Message);
        Assert.Empty(Validate(ws, "c1"));
    }
}
