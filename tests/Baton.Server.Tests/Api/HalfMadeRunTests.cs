using Baton.Runs;
using Baton.Server.Auth;

namespace Baton.Server.Tests.Api;

public sealed class HalfMadeRunTests
{
    [Fact]
    public async Task ServerStart_RemovesHalfMadeRunFolders_AndListsNoGhostRun()
    {
        var (dataPath, token) = await TestServer.StoppedWithChainAsync(
            "default",
            "hello",
            "name: hello\nagents:\n  a:\n    run: echo hi\n"
        );
        var runsRoot = Path.Combine(dataPath, "workspaces", "default", "runs");
        Directory.CreateDirectory(runsRoot);
        var halfMade = Path.Combine(runsRoot, "20261205-000000-hello-abcd");
        Directory.CreateDirectory(halfMade);
        File.WriteAllText(Path.Combine(halfMade, "chain.yaml"), "name: hello\n");
        Directory.SetLastWriteTimeUtc(halfMade, DateTime.UtcNow.AddHours(-1));
        var staging = HalfMadeRuns.StagingPath(runsRoot, "20261205-000001-hello-bcde");
        Directory.CreateDirectory(staging);
        Directory.SetLastWriteTimeUtc(staging, DateTime.UtcNow.AddHours(-1));

        await using var server = await TestServer.StartAsync(dataPath);
        using var owner = server.Client(token);

        Assert.False(Directory.Exists(halfMade));
        Assert.False(Directory.Exists(staging));
        var list = await TestServer.ReadJson(await owner.GetAsync("/api/workspaces/default/runs"));
        Assert.Equal(0, list.GetArrayLength());
        try
        {
            Directory.Delete(dataPath, recursive: true);
        }
        catch (IOException) { }
    }
}
