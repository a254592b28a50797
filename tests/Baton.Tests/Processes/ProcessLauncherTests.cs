using System.Runtime.Versioning;
using Baton.Agents.Processes;

namespace Baton.Tests.Processes;

[SupportedOSPlatform("linux")]
public sealed class ProcessLauncherTests : IDisposable
{
    private readonly ProcessSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public async Task ExitCode_Propagates()
    {
        var exit = await _sandbox.RunAsync(_sandbox.Bash("exit 7"));

        Assert.Equal(ProcessExit.Code(7), exit);
        Assert.False(exit.Succeeded);
    }

    [Fact]
    public async Task KilledBySignal_ReportsSignal()
    {
        var exit = await _sandbox.RunAsync(_sandbox.Bash("kill -USR1 $$"));

        Assert.Equal(ProcessExit.Killed(10), exit);
        Assert.Null(exit.ExitCode);
    }

    [Fact]
    public async Task Environment_IsExactlyWhatWasGiven()
    {
        _sandbox.Environment["BATON_TEST"] = "a value with spaces = and equals";
        _sandbox.Environment["EMPTY"] = "";

        var exit = await _sandbox.RunAsync(_sandbox.Spec("env"));

        Assert.Equal(ProcessExit.Code(0), exit);
        var expected = _sandbox.Environment.Select(kv => $"{kv.Key}={kv.Value}").Order();
        Assert.Equal(expected, File.ReadAllLines(_sandbox.StdoutPath).Order());
    }

    [Fact]
    public async Task Output_LandsInTheFiles()
    {
        await _sandbox.RunAsync(_sandbox.Bash("echo out; echo err >&2"));

        Assert.Equal("out\n", _sandbox.Stdout);
        Assert.Equal("err\n", _sandbox.Stderr);
    }

    [Fact]
    public async Task Append_KeepsEarlierOutput()
    {
        await _sandbox.RunAsync(_sandbox.Bash("echo first"));
        await _sandbox.RunAsync(_sandbox.Bash("echo second") with { Append = true });

        Assert.Equal("first\nsecond\n", _sandbox.Stdout);
    }

    [Fact]
    public async Task WithoutAppend_TruncatesEarlierOutput()
    {
        await _sandbox.RunAsync(_sandbox.Bash("echo a longer first line"));
        await _sandbox.RunAsync(_sandbox.Bash("echo second"));

        Assert.Equal("second\n", _sandbox.Stdout);
    }

    [Fact]
    public async Task Stdin_IsDevNull()
    {
        var exit = await _sandbox.RunAsync(_sandbox.Bash("cat; readlink /proc/self/fd/0"));

        Assert.Equal(ProcessExit.Code(0), exit);
        Assert.Equal("/dev/null\n", _sandbox.Stdout);
    }

    [Fact]
    public async Task OnlyStandardDescriptors_AreOpen()
    {
        await _sandbox.RunAsync(_sandbox.Spec("ls", "/proc/self/fd"));

        // ls itself opens the directory it lists, as fd 3.
        Assert.Equal(["0", "1", "2", "3"], File.ReadAllLines(_sandbox.StdoutPath));
    }

    [Fact]
    public async Task Signals_AreDefaultAndUnblocked()
    {
        await _sandbox.RunAsync(_sandbox.Spec("grep", "-E", "^Sig(Ign|Blk)", "/proc/self/status"));

        Assert.Equal(
            ["SigBlk:\t0000000000000000", "SigIgn:\t0000000000000000"],
            File.ReadAllLines(_sandbox.StdoutPath)
        );
    }

    [Fact]
    public async Task BrokenPipe_KillsTheWriter()
    {
        var exit = await _sandbox.RunAsync(_sandbox.Bash("yes | head -1"));

        Assert.Equal(ProcessExit.Code(128 + 13), exit);
        Assert.Equal("y\n", _sandbox.Stdout);
    }

    [Fact]
    public async Task WorkingDirectory_IsHonoured()
    {
        var sub = Directory.CreateDirectory(Path.Combine(_sandbox.Directory, "sub dir")).FullName;

        await _sandbox.RunAsync(_sandbox.Spec("pwd") with { WorkingDirectory = sub });

        Assert.Equal(sub + "\n", _sandbox.Stdout);
    }

    [Fact]
    public async Task Child_LeadsItsOwnProcessGroup()
    {
        var child = ProcessLauncher.Start(_sandbox.Bash("ps -o pgid= -p $$"));
        await child.Exited.WaitAsync(ProcessSandbox.Patience);

        Assert.Equal(child.Pid, int.Parse(_sandbox.Stdout.Trim()));
        Assert.NotEqual(Environment.ProcessId, child.Pid);
    }

    [Fact]
    public async Task StartTime_MatchesProc()
    {
        var child = ProcessLauncher.Start(_sandbox.Spec("sleep", "1000"));
        try
        {
            var stat = File.ReadAllText($"/proc/{child.Pid}/stat");
            var starttime = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[19];
            Assert.Equal(long.Parse(starttime), child.StartTime);
        }
        finally
        {
            child.KillGroup();
        }

        Assert.Equal(ProcessExit.Killed(9), await child.Exited.WaitAsync(ProcessSandbox.Patience));
    }

    [Fact]
    public async Task LargeOutput_GoesStraightToTheFile()
    {
        var exit = await _sandbox.RunAsync(_sandbox.Bash("head -c 20000000 /dev/zero; head -c 1000000 /dev/zero >&2"));

        Assert.Equal(ProcessExit.Code(0), exit);
        Assert.Equal(20_000_000, new FileInfo(_sandbox.StdoutPath).Length);
        Assert.Equal(1_000_000, new FileInfo(_sandbox.StderrPath).Length);
    }

    [Fact]
    public async Task RelativeExecutable_ResolvesAgainstWorkingDirectory()
    {
        var script = Path.Combine(_sandbox.Directory, "agent.sh");
        await File.WriteAllTextAsync(script, "#!/bin/sh\necho \"ran with $1\"\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        await _sandbox.RunAsync(_sandbox.Spec("./agent.sh", "arg"));

        Assert.Equal("ran with arg\n", _sandbox.Stdout);
    }
}
