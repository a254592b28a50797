using Baton.Events;
using Baton.Runs;

namespace Baton.Tests.Engine;

/// <summary>Small helpers the engine tests share: reading events, watching processes, bounded polling.</summary>
internal static class EngineProbe
{
    public static RunEvent Single(RunFolder run, string type) =>
        Assert.Single(TestWorkspace.Events(run), e => e.Type == type);

    public static AgentStatus StatusOf(RunFolder run, string agent) =>
        RunState.Fold(TestWorkspace.Events(run)).Agent(agent).Status;

    public static int IndexOf(RunFolder run, string type)
    {
        var index = TestWorkspace.Types(run).ToList().IndexOf(type);
        Assert.True(index >= 0, $"no '{type}' event in: {string.Join(", ", TestWorkspace.Types(run))}");
        return index;
    }

    /// <summary>No such process, or only a zombie waiting to be reaped (it runs nothing any more).</summary>
    public static bool IsGone(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0];
            return state is "Z" or "X";
        }
        catch (IOException)
        {
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            return true;
        }
    }

    public static int[] ReadPids(string file) =>
        [
            .. File.ReadAllLines(file)
                .Where(l => l.Trim().Length > 0)
                .Select(l => int.Parse(l.Trim(), System.Globalization.CultureInfo.InvariantCulture)),
        ];

    /// <summary>Polls until the condition holds; the timeout is generous and only catches a hang.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what, int seconds = 15)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"timed out after {seconds}s waiting for {what}");
            await Task.Delay(50);
        }
    }
}
