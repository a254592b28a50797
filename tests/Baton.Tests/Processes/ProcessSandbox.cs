using Baton.Agents.Processes;

namespace Baton.Tests.Processes;

/// <summary>A temp directory to run real processes in, with their output files inside it.</summary>
internal sealed class ProcessSandbox : IDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("baton-proc-").FullName;

    public string StdoutPath => Path.Combine(Directory, "stdout.log");

    public string StderrPath => Path.Combine(Directory, "stderr.log");

    public Dictionary<string, string> Environment { get; } =
        new() { ["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" };

    public ProcessSpec Spec(string executable, params string[] arguments) =>
        new(executable, arguments, Directory, Environment, StdoutPath, StderrPath);

    public ProcessSpec Bash(string script) => Spec("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script);

    public async Task<ProcessExit> RunAsync(ProcessSpec spec) =>
        await ProcessLauncher.Start(spec).Exited.WaitAsync(Patience);

    public string Stdout => File.ReadAllText(StdoutPath);

    public string Stderr => File.ReadAllText(StderrPath);

    /// <summary>Absent or a zombie: PID 1 in a container may never reap what it inherits.</summary>
    public static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    public static async Task WaitUntilGoneAsync(IEnumerable<int> pids)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (pids.Any(IsRunning))
        {
            Assert.True(DateTime.UtcNow < deadline, $"still running: {string.Join(' ', pids.Where(IsRunning))}");
            await Task.Delay(20);
        }
    }

    public async Task WaitForFileAsync(string file)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!File.Exists(Path.Combine(Directory, file)))
        {
            Assert.True(DateTime.UtcNow < deadline, $"{file} never appeared");
            await Task.Delay(20);
        }
    }

    /// <summary>Waits for a script to write the pids of its background jobs, one a line.</summary>
    public async Task<int[]> ReadPidsAsync(string file, int count)
    {
        var path = Path.Combine(Directory, file);
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            if (File.Exists(path))
            {
                var lines = File.ReadAllLines(path).Where(l => l.Length > 0).ToArray();
                if (lines.Length >= count)
                {
                    return lines.Select(int.Parse).ToArray();
                }
            }

            Assert.True(DateTime.UtcNow < deadline, $"{file} never got {count} pids");
            await Task.Delay(20);
        }
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
