using Baton.Runs;

namespace Baton.Tests.Cli;

/// <summary>
/// Run folders whose creator was killed mid-way (issue 19): a hidden staging folder (what a killed `baton run` leaves
/// now) or a folder with chain.yaml and nothing else (what older versions left). Nothing was acknowledged for either.
/// </summary>
public sealed class CliHalfMadeRunTests : IDisposable
{
    private readonly TestWorkspace _ws = new();

    [Fact]
    public async Task HalfMadeFolders_RunsRemovesThemWithAMessage_ResumeSaysThereIsNothingToResume()
    {
        _ws.Write("chains/hello.yaml", "name: hello\nagents:\n  a:\n    run: echo hi\n");
        var runsRoot = Path.Combine(_ws.Root, "runs");
        var halfMade = HalfMade(runsRoot, "20261205-000000-hello-abcd");
        var another = HalfMade(runsRoot, "20261205-000001-hello-bcde");
        var staging = HalfMadeRuns.StagingPath(runsRoot, "20261205-000002-hello-cdef");
        Directory.CreateDirectory(Path.Combine(staging, "events"));
        File.WriteAllText(Path.Combine(staging, "chain.yaml"), "name: hello\n");
        Directory.SetLastWriteTimeUtc(staging, DateTime.UtcNow.AddHours(-1));
        // A creator at work right now (a fresh staging folder) is left alone.
        var busy = HalfMadeRuns.StagingPath(runsRoot, "20261205-000003-hello-def0");
        Directory.CreateDirectory(busy);

        var resumed = await BatonCli.RunAsync(_ws.Root, "resume", "20261205-000001-hello-bcde");
        Assert.True(resumed.ExitCode == 2, resumed.ToString());
        Assert.Contains("never fully created", resumed.Stderr);
        Assert.False(Directory.Exists(another));

        var runs = await BatonCli.RunAsync(_ws.Root, "runs");
        Assert.True(runs.ExitCode == 0, runs.ToString());
        Assert.Contains("no runs yet", runs.Stdout);
        Assert.Contains("20261205-000000-hello-abcd", runs.Stderr);
        Assert.Contains("nothing was acknowledged", runs.Stderr);
        Assert.False(Directory.Exists(halfMade));
        Assert.False(Directory.Exists(staging));
        Assert.True(Directory.Exists(busy));

        // A real run still works next to them, and is listed.
        var run = await BatonCli.RunAsync(_ws.Root, "run", "chains/hello.yaml");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("succeeded", (await BatonCli.RunAsync(_ws.Root, "runs")).Stdout);
    }

    /// <summary>chain.yaml and nothing else, made long enough ago that no creator is still at it.</summary>
    internal static string HalfMade(string runsRoot, string id)
    {
        var path = Path.Combine(runsRoot, id);
        Directory.CreateDirectory(path);
        File.WriteAllText(Path.Combine(path, "chain.yaml"), "name: hello\nagents:\n  a:\n    run: echo hi\n");
        Directory.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddHours(-1));
        return path;
    }

    public void Dispose() => _ws.Dispose();
}
