using System.CommandLine;
using Baton.Isolation;

namespace Baton.Cli.Commands;

public static class DoctorCommand
{
    public static Command Create()
    {
        var data = ServeCommand.DataOption();
        var command = new Command(
            "doctor",
            "What this machine gives Baton: bash, isolation, limits enforcement, inotify, a data folder agents can reach"
        )
        {
            Options = { data },
        };
        command.SetAction(
            (parse, _) =>
                CommandAction.Run(() =>
                {
                    var ok = true;
                    void Line(bool good, string text)
                    {
                        Console.WriteLine($"{(good ? "ok  " : "warn")}  {text}");
                        ok &= good;
                    }
                    Line(File.Exists("/bin/bash") || File.Exists("/usr/bin/bash"), "bash for run: agents");
                    Line(true, $".NET {Environment.Version} on {Environment.ProcessorCount} cores; {GcSizes()}");
                    var enforcement = LimitEnforcement.Detected;
                    Line(enforcement.Kind != EnforcementKind.Rlimits, enforcement.Describe());
                    var root = Environment.UserName == "root";
                    Line(
                        root,
                        root
                            ? "running as root: `baton serve` runs each workspace's agents as its own user (baton-<workspace>)"
                            : "not root: `baton serve` runs every workspace's agents as this user (no per-workspace users)"
                    );
                    Line(Confinement.HasHelper || File.Exists("/usr/bin/setpriv"), Confinement.DescribePrologue());
                    Line(!root || ProcessHiding.Supported, ProcessHiding.Describe());
                    var dataPath = Path.GetFullPath(parse.GetValue(data)!);
                    var unreachable = Server.DataFolderReach.Problem(dataPath);
                    Line(
                        !root || unreachable is null,
                        unreachable is null
                                ? $"data folder {dataPath} (`baton serve --data`): workspace users can reach it"
                            : root ? unreachable
                            : $"data folder {dataPath}: not reachable by other users, which matters only when `baton serve` runs as root"
                    );
                    var instances = Read("/proc/sys/fs/inotify/max_user_instances");
                    var watches = Read("/proc/sys/fs/inotify/max_user_watches");
                    Line(
                        watches is null or >= 8192,
                        $"inotify: {instances} instances, {watches} watches per user (Baton uses one instance; a watch per active or paused run)"
                    );
                    Line(true, $"secrets master key: {Secrets.SecretStore.DefaultMasterKeyPath()}");
                    return Task.FromResult(ok ? ExitCodes.Succeeded : ExitCodes.Failed);
                })
        );
        return command;
    }

    /// <summary>
    /// How much the GC lets a process allocate between young collections, and the regions its heap grows by, as the GC
    /// reports them: a server's peak memory moves with both (docs/performance.md, finding 64). The published binary sets
    /// 8 MB and 1 MB; DOTNET_GCgen0size and DOTNET_GCRegionSize override them.
    /// </summary>
    private static string GcSizes()
    {
        var settings = GC.GetConfigurationVariables();
        string Mb(string key) =>
            settings.TryGetValue(key, out var value) && Convert.ToInt64(value) is > 0 and var bytes
                ? $"{bytes / (1024.0 * 1024):0.#} MB"
                : "default";
        return $"the GC collects its young generation every {Mb("GCGen0MaxBudget")} allocated, in regions of {Mb("GCRegionSize")}";
    }

    private static long? Read(string path) =>
        File.Exists(path) && long.TryParse(File.ReadAllText(path).Trim(), out var v) ? v : null;
}
