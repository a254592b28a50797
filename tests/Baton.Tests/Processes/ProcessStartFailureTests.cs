using System.Runtime.Versioning;
using Baton.Agents.Processes;

namespace Baton.Tests.Processes;

[SupportedOSPlatform("linux")]
public sealed class ProcessStartFailureTests : IDisposable
{
    private readonly ProcessSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public void MissingCommand_NamesCommandAndPath()
    {
        var error = Assert.Throws<ProcessStartException>(() =>
            ProcessLauncher.Start(_sandbox.Spec("baton-no-such-command"))
        );

        Assert.Contains("command 'baton-no-such-command' not found on PATH (/usr/local/sbin:", error.Message);
    }

    [Fact]
    public void CommandOnlyOnParentPath_IsNotFound()
    {
        _sandbox.Environment["PATH"] = _sandbox.Directory;

        var error = Assert.Throws<ProcessStartException>(() => ProcessLauncher.Start(_sandbox.Spec("bash")));

        Assert.Contains("command 'bash' not found on PATH", error.Message);
    }

    [Fact]
    public void NoPath_SaysSo()
    {
        _sandbox.Environment.Remove("PATH");

        var error = Assert.Throws<ProcessStartException>(() => ProcessLauncher.Start(_sandbox.Spec("bash")));

        Assert.Contains("has no PATH", error.Message);
    }

    [Fact]
    public void NotExecutable_NamesCommand()
    {
        var script = Path.Combine(_sandbox.Directory, "plain.sh");
        File.WriteAllText(script, "echo hi\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var error = Assert.Throws<ProcessStartException>(() => ProcessLauncher.Start(_sandbox.Spec(script)));

        Assert.Contains($"cannot start '{script}'", error.Message);
        Assert.Contains("Permission denied", error.Message);
    }

    [Fact]
    public void MissingWorkingDirectory_NamesIt()
    {
        var missing = Path.Combine(_sandbox.Directory, "nope");

        var error = Assert.Throws<ProcessStartException>(() =>
            ProcessLauncher.Start(_sandbox.Spec("true") with { WorkingDirectory = missing })
        );

        Assert.Contains($"working directory '{missing}' does not exist", error.Message);
    }

    [Fact]
    public void UnwritableOutput_NamesTheFiles()
    {
        var stdout = Path.Combine(_sandbox.Directory, "no-such-dir", "out.log");

        var error = Assert.Throws<ProcessStartException>(() =>
            ProcessLauncher.Start(_sandbox.Spec("true") with { StdoutPath = stdout })
        );

        Assert.Contains(stdout, error.Message);
        Assert.Contains("No such file or directory", error.Message);
    }
}
