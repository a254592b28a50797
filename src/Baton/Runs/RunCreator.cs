using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Baton.Chains;
using Baton.Events;
using Baton.Workspaces;
using Microsoft.Win32.SafeHandles;

namespace Baton.Runs;

/// <summary>
/// Lays out a new run's folder: the chain exactly as it will run (chain.yaml plus the files it
/// referenced, under prompts/), inputs.json, and the empty events/, inbox/, agents/ — with every
/// agent's agents/&lt;agent&gt;/ (and a process agent's inbox/&lt;agent&gt;/) already made.
/// The engine then loads the chain from the run folder only, so a resumed run is the run that started.
/// </summary>
public static class RunCreator
{
    /// <summary>Creates the run's folder and returns once it is durable.</summary>
    /// <exception cref="InputException">An input is unknown or a required one is missing.</exception>
    public static async Task<RunFolder> CreateAsync(
        Workspace workspace,
        Chain chain,
        string chainYaml,
        IReadOnlyDictionary<string, string> inputs,
        GroupCommitter committer,
        CancellationToken cancellationToken = default
    )
    {
        var (run, durable) = Create(workspace, chain, chainYaml, inputs, committer, cancellationToken);
        await durable;
        return run;
    }

    /// <summary>
    /// Creates the run's folder; Durable completes once it would survive a crash. Await it before telling
    /// anyone the run exists — together with anything else to commit (the server's audit line), so both share one round.
    /// </summary>
    /// <exception cref="InputException">An input is unknown or a required one is missing.</exception>
    public static (RunFolder Run, Task Durable) Create(
        Workspace workspace,
        Chain chain,
        string chainYaml,
        IReadOnlyDictionary<string, string> inputs,
        GroupCommitter committer,
        CancellationToken cancellationToken = default,
        string? trigger = null,
        ParentRun? parent = null,
        string? id = null
    )
    {
        var resolved = ResolveInputs(chain, inputs);
        cancellationToken.ThrowIfCancellationRequested();
        // runs/ held open, reached below the workspace without following a link (never into another workspace), and
        // everything below made relative to it: one or two path components per system call, not a walk from '/'.
        using var runs = RunsFolder(workspace);
        // Built under a hidden name and renamed into place: a run folder is complete or absent, never half-made
        // (a `baton run` killed here, a full disk). mkdir itself says whether the name is taken (no check-then-make race);
        // one system call per folder and two per file, where Directory/File calls made three to five (W3 starts runs on its clock).
        // A given id (a `chain:` agent's child, recorded before it exists) is that run or none: never another name.
        // Only that agent makes it, so a half-made folder under its name is what a crash left: made again.
        var givenId = id;
        var leftoverRemoved = false;
        string staging;
        while (
            !Libc.MkdirAt(
                runs.Fd,
                staging = HalfMadeRuns.StagingName(id = givenId ?? RunIds.New(chain.Name, DateTimeOffset.UtcNow)),
                runs.Description
            )
        )
            if (givenId is not null)
            {
                if (leftoverRemoved)
                    throw new IOException($"run {givenId} could not be made: its half-made folder is still there");
                HalfMadeRuns.TryDelete(Path.Combine(workspace.RunsRoot, staging));
                leftoverRemoved = true;
            }
        try
        {
            var folder = new StagingFolder(runs, staging);
            Fill(folder, chain, chainYaml, resolved, trigger, parent);
            folder.WriteNew(
                Prompts.RunVersions.FileName,
                Prompts.VersionRecorder.For(chain, chainYaml, workspace.Root).ToJson()
            );
            var run = new RunFolder(workspace.RunsRoot, id);
            while (!Libc.TryRenameNoReplaceAt(runs.Fd, staging, run.Id))
                run = givenId is null
                    ? new RunFolder(workspace.RunsRoot, RunIds.New(chain.Name, DateTimeOffset.UtcNow))
                    : throw new IOException($"run {givenId} exists already");
            // The folder itself must survive a crash before its first event is acknowledged.
            return (
                run,
                Task.WhenAll(
                    committer.Commit(null, run.Path, run.Path),
                    committer.Commit(null, run.RunsRoot, run.RunsRoot)
                )
            );
        }
        catch
        {
            // nothing was acknowledged for it: nothing is lost, nothing is left behind
            HalfMadeRuns.TryDelete(Path.Combine(workspace.RunsRoot, staging));
            throw;
        }
    }

    /// <summary>
    /// runs/ held open: one open of it, not a link (O_NOFOLLOW; the workspace's own path is the operator's, trusted as
    /// everywhere), made below the workspace without following a link when it is missing.
    /// </summary>
    private static WorkspaceDirectory.Held RunsFolder(Workspace workspace)
    {
        var fd = Libc.Open(workspace.RunsRoot, Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_NOFOLLOW | Libc.O_CLOEXEC);
        if (fd >= 0)
            return new WorkspaceDirectory.Held(new SafeFileHandle(fd, ownsHandle: true), workspace.RunsRoot);
        return Marshal.GetLastPInvokeError() is Libc.ENOENT
            ? WorkspaceDirectory.OpenFolder(workspace.Root, "runs", create: true)
                ?? throw new DirectoryNotFoundException($"cannot make '{workspace.RunsRoot}'")
            : throw new UnsafePathException(
                $"'{workspace.RunsRoot}' is a symbolic link (or not a folder); refusing to follow it out of '{workspace.Root}'"
            );
    }

    /// <summary>
    /// The folder a run is built in, reached by its name below runs/ held open: two components per system call (it is
    /// the creator's own, just made: nothing in it can be a link yet), and no open of its own to hold.
    /// </summary>
    private readonly record struct StagingFolder(WorkspaceDirectory.Held Runs, string Name)
    {
        public void MakeFolder(string relative) => Libc.MkdirAt(Runs.Fd, $"{Name}/{relative}", Runs.Description);

        public void WriteNew(string relative, byte[] bytes) =>
            Libc.CreateNewAt(Runs.Fd, $"{Name}/{relative}", bytes, Runs.Description).Dispose();
    }

    /// <summary>Writes the run's files into its folder (still under its hidden name).</summary>
    private static void Fill(
        StagingFolder folder,
        Chain chain,
        string chainYaml,
        Dictionary<string, string> inputs,
        string? trigger,
        ParentRun? parent
    )
    {
        // work/ waits for the first script or CLI agent and inbox/.taken/ for the first inbox file: an LLM-only run needs neither.
        foreach (var dir in new[] { "events", "inbox", "agents" })
            folder.MakeFolder(dir);
        // Every agent's folders now rather than on its hand-off: a new inode is the dearest part of
        // starting an agent (40 µs to 1 ms on ext4, docs/performance.md). The engine still checks them
        // (an agent may have swapped one for a symlink) and makes any that are missing.
        foreach (var agent in chain.Agents)
        {
            folder.MakeFolder($"agents/{agent.Name}");
            if (agent.IsProcess)
                folder.MakeFolder($"inbox/{agent.Name}");
        }
        folder.WriteNew("lock", []); // the engine's flock then opens, not creates, it
        folder.WriteNew("chain.yaml", Encoding.UTF8.GetBytes(chainYaml));
        // Two agents may name one file (two prompts, a spec shared by two CLI agents): it is copied once.
        foreach (
            var (relative, text) in ReferencedFiles(chain).DistinctBy(f => RunFolder.SnapshotRelativePath(f.Relative))
        )
        {
            // prompts/<the path as the chain gave it, without "", "." and "..">: below the folder by construction.
            var target = RunFolder.SnapshotRelativePath(relative);
            var slash = target.IndexOf('/');
            while (slash > 0 && slash < target.Length - 1)
            {
                folder.MakeFolder(target[..slash]);
                slash = target.IndexOf('/', slash + 1);
            }
            folder.WriteNew(target, Encoding.UTF8.GetBytes(text));
        }
        folder.WriteNew(
            "inputs.json",
            JsonSerializer.SerializeToUtf8Bytes(inputs, RunJson.Default.DictionaryStringString)
        );
        if (trigger is not null)
            folder.WriteNew("trigger.txt", Encoding.UTF8.GetBytes(trigger));
        if (parent is not null)
            folder.WriteNew(RunFolder.ParentFileName, parent.ToJson());
    }

    public static IEnumerable<(string Relative, string Text)> ReferencedFiles(Chain chain)
    {
        foreach (var agent in chain.Agents)
        {
            if (agent.Script is { File: { } scriptFile } script)
                yield return (scriptFile, script.Text);
            if (agent.Prompt is { File: { } promptFile } prompt)
                yield return (promptFile, prompt.Text);
            if (agent.Cli is { SpecFile: { } specFile, SpecText: { } specText })
                yield return (specFile, specText);
        }
    }

    public static Dictionary<string, string> ResolveInputs(Chain chain, IReadOnlyDictionary<string, string> given)
    {
        var errors = new List<string>();
        foreach (var name in given.Keys.Where(k => chain.Inputs.All(i => i.Name != k)))
        {
            var hint = KeySuggester.Suggest(name, chain.Inputs.Select(i => i.Name)) is { } s
                ? $"; did you mean '{s}'?"
                : "";
            errors.Add(
                chain.Inputs.Count == 0
                    ? $"unknown input '{name}': chain '{chain.Name}' takes no inputs"
                    : $"unknown input '{name}'{hint} (inputs: {string.Join(", ", chain.Inputs.Select(i => i.Name))})"
            );
        }
        var resolved = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var input in chain.Inputs)
        {
            if (given.TryGetValue(input.Name, out var value))
                resolved[input.Name] = value;
            else if (input.Default is not null)
                resolved[input.Name] = input.Default;
            else
                errors.Add(
                    $"missing required input '{input.Name}'{(input.Description is null ? "" : $" ({input.Description})")}: pass --input {input.Name}=VALUE"
                );
        }
        return errors.Count == 0 ? resolved : throw new InputException(errors);
    }
}

public sealed class InputException(IReadOnlyList<string> errors) : Exception(string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}

[System.Text.Json.Serialization.JsonSourceGenerationOptions(WriteIndented = true)]
[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, string>))]
[System.Text.Json.Serialization.JsonSerializable(typeof(List<string>))]
internal sealed partial class RunJson : System.Text.Json.Serialization.JsonSerializerContext;
