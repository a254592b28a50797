namespace Baton.Tests.Cli;

/// <summary>
/// Issue 11 item 8: a data folder under a folder other users cannot pass (/root, a `mktemp -d`
/// folder) made every agent fail with "run.sh: Permission denied" and nothing said why.
/// </summary>
public sealed class CliDataFolderTests : IDisposable
{
    private readonly string _private = Path.Combine(
        Path.GetTempPath(),
        "baton-private-" + Guid.NewGuid().ToString("N")[..8]
    );

    public CliDataFolderTests()
    {
        Directory.CreateDirectory(_private);
        File.SetUnixFileMode(_private, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute); // as mktemp -d makes it
    }

    [Fact]
    public async Task ServeUnderAPrivateFolder_RefusesToStart_NamingTheFolderAndTheFix()
    {
        Assert.True(Environment.IsPrivilegedProcess, "workspace users exist only under root (CI runs as root)");
        var data = Path.Combine(_private, "data");

        var serve = await BatonCli.RunAsync(_private, "serve", "--data", data, "--urls", "http://127.0.0.1:0");

        Assert.True(serve.ExitCode == 2, serve.ToString());
        Assert.Contains(
            $"cannot reach the data folder {data}: {_private} is 0700",
            serve.Stderr,
            StringComparison.Ordinal
        );
        Assert.Contains($"chmod o+x {_private}", serve.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(data), "nothing is created when the server refuses to start");

        var doctor = await BatonCli.RunAsync(_private, "doctor", "--data", data);
        Assert.Contains(
            $"warn  workspace users (baton-<workspace>) cannot reach the data folder {data}",
            doctor.Stdout,
            StringComparison.Ordinal
        );
        Assert.Equal(1, doctor.ExitCode);
    }

    [Fact]
    public async Task DataFolderThatIsItselfPrivate_IsMadePassable_AndDoctorSaysItIsReachable()
    {
        Assert.True(Environment.IsPrivilegedProcess, "workspace users exist only under root (CI runs as root)");
        File.SetUnixFileMode(
            _private,
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherExecute
        );
        var data = Path.Combine(_private, "data");
        Directory.CreateDirectory(data);
        File.SetUnixFileMode(data, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute); // mktemp -d as the data folder

        _ = new Baton.Server.DataRoot(data);

        Assert.Equal(UnixFileMode.OtherExecute, File.GetUnixFileMode(data) & UnixFileMode.OtherExecute);
        var doctor = await BatonCli.RunAsync(_private, "doctor", "--data", data);
        Assert.Contains(
            $"ok    data folder {data} (`baton serve --data`): workspace users can reach it",
            doctor.Stdout,
            StringComparison.Ordinal
        );
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_private, recursive: true);
        }
        catch (IOException) { }
    }
}
