using Baton.Chains;

namespace Baton.Tests.Notifications;

public class NotifyValidationTests
{
    private static List<string> Errors(string notify)
    {
        using var ws = new TestWorkspace();
        var path = ws.Write("chains/n.yaml", $"name: n\nnotify:\n{notify}agents:\n  a: {{ run: echo }}\n");
        return [.. ChainLoader.ValidateFile(path, ws.Root).Select(e => e.ToString())];
    }

    [Fact]
    public void AGoodList_Validates_WithItsDefaults()
    {
        using var ws = new TestWorkspace();
        var path = ws.Write(
            "chains/n.yaml",
            "name: n\nnotify:\n  - url: https://hooks.example.com/x\n  - { url: 'https://hooks.slack.com/services/T/B/C', on: [failed, waiting], format: slack }\nagents:\n  a: { run: echo }\n"
        );
        var chain = ChainLoader.LoadFile(path, ws.Root);
        Assert.Equal(3, chain.Notify[0].On.Count);
        Assert.Equal(NotifyFormat.Slack, chain.Notify[1].Format);
        Assert.Equal([NotifyOn.Failed, NotifyOn.Waiting], chain.Notify[1].On.Order());
    }

    [Theory]
    [InlineData("  - url: ftp://x\n", "n.yaml:3:10: 'url' of a 'notify' entry must be an http(s) URL")]
    [InlineData(
        "  - url: https://x\n    on: [finish]\n",
        "n.yaml:4:10: 'on' of a 'notify' entry takes finished, failed, waiting, not 'finish'; did you mean 'finished'?"
    )]
    [InlineData("  - url: https://x\n    format: teams\n", "'format' of a 'notify' entry is 'json' or 'slack'")]
    [InlineData("  - on: failed\n", "a 'notify' entry needs a 'url'")]
    [InlineData("  url: https://x\n", "'notify' must be a list of webhooks")]
    public void Mistakes_AreErrorsAtTheirLine(string notify, string expected) =>
        Assert.Contains(Errors(notify), e => e.Contains(expected));
}
