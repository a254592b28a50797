using Baton.Health;
using Baton.Runs;

namespace Baton.Tests.Monitoring;

/// <summary>
/// The llm-calls day file is kept open between calls (HeldDayFiles): a line must still land in the file its path
/// names now, never in one deleted, moved away or replaced, and never through a link.
/// </summary>
public class CallHealthAppendTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);

    private static CallHealth Call(string run) =>
        new(Start, run, "c", "a", "default", "m", CallOutcome.Ok, 100, null, 10, [CallOutcome.Ok], false);

    private static string DayFile(string root) => Path.Combine(root, ".baton", "llm-calls", "2026-12-02.jsonl");

    private static string[] Runs(string root) =>
        [.. File.ReadAllLines(DayFile(root)).Select(l => CallHealth.Parse(l).Run)];

    [Fact]
    public void DayFileDeleted_NextLineStartsItAgain()
    {
        var root = Directory.CreateTempSubdirectory("baton-callhealth-").FullName;
        try
        {
            CallHealth.Append(root, Call("one"));
            File.Delete(DayFile(root));
            CallHealth.Append(root, Call("two"));
            Assert.Equal(["two"], Runs(root));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void WorkspaceMovedAndMadeAgain_LineLandsInTheNewOne()
    {
        var root = Directory.CreateTempSubdirectory("baton-callhealth-").FullName;
        var moved = root + "-moved";
        try
        {
            CallHealth.Append(root, Call("one"));
            Directory.Move(root, moved);
            Directory.CreateDirectory(root);
            CallHealth.Append(root, Call("two"));
            Assert.Equal(["two"], Runs(root));
            Assert.Equal(["one"], Runs(moved));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
            Directory.Delete(moved, recursive: true);
        }
    }

    [Fact]
    public void DayFileReplacedByALink_Refused_TargetUntouched()
    {
        var root = Directory.CreateTempSubdirectory("baton-callhealth-").FullName;
        var target = Path.Combine(Directory.CreateTempSubdirectory("baton-callhealth-target-").FullName, "target");
        try
        {
            File.WriteAllText(target, "");
            CallHealth.Append(root, Call("one"));
            File.Delete(DayFile(root));
            File.CreateSymbolicLink(DayFile(root), target);
            Assert.Throws<UnsafePathException>(() => CallHealth.Append(root, Call("two")));
            Assert.Equal("", File.ReadAllText(target));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
            Directory.Delete(Path.GetDirectoryName(target)!, recursive: true);
        }
    }
}
