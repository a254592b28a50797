using System.Text.Json;
using Baton.Events;

namespace Baton.Runs;

/// <summary>
/// A run's <c>inbox/</c>: where scripts (<c>inbox/&lt;agent&gt;/TYPE.json</c>), <c>baton decide</c>,
/// <c>baton cancel</c> and the server drop events (top level: <c>&lt;agent&gt;.&lt;type&gt;[@unique].json</c>).
/// Only the owning engine takes files out. A file is first renamed into <c>.taken/</c> under a unique
/// name, then appended as an event that records that name as its source, then deleted once the event
/// is durable; after a crash the fold's ConsumedInbox tells which taken files are already events.
/// </summary>
public sealed class Inbox(string directory)
{
    public const string TakenFolder = ".taken";
    public const string RejectedFolder = ".rejected";

    /// <summary>A writer may still be writing a file that does not parse yet; give it this long before rejecting it.</summary>
    public static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(2);

    public string Directory { get; } = directory;

    /// <param name="Path">The taken file; empty for an answer handed over in memory (Handed).</param>
    public sealed record Item(string Path, string Type, string? Agent, JsonElement Data, string TakenName)
    {
        /// <summary>Handed over in memory (Handed): there is no file to delete once its event is durable.</summary>
        public bool IsHanded => Path.Length == 0;

        /// <summary>The source its event records: the taken file, or api/&lt;name&gt; for a handed answer.</summary>
        public string Source => IsHanded ? $"api/{TakenName}" : Inbox.Source(TakenName);
    }

    /// <summary>
    /// An answer the process hosting the engine hands it directly instead of through a file: the server resuming a
    /// parked run it holds (RunHost.TryResumeWith). It is checked and appended as a file from the inbox's top level
    /// would be, under a taken name that names the inbox file the server would have written, so its verdict is found
    /// the same way (TakenName.CameFrom).
    /// </summary>
    public static Item Handed(string type, string agent, JsonElement data, string inboxFile, DateTimeOffset now) =>
        new("", type, agent, data, TakenName.Make(now, 0, null, inboxFile).Name);

    public sealed record Rejection(string File, string Reason);

    /// <summary>Takes every ready file, in arrival order; returns what to append and what was rejected.</summary>
    /// <exception cref="UnsafePathException">An agent replaced an inbox folder with a symlink.</exception>
    /// <param name="agents">The chain's agents (what a top-level file may name).</param>
    /// <param name="folders">The agents whose folders to look in.</param>
    /// <param name="full">Also look in <c>.taken/</c> (what a stopped engine left) and at the top level.</param>
    /// <param name="topLevel">Whether to look at the top level (external writers: decisions, cancels).</param>
    /// <param name="deleting">True for a taken file whose delete already waits for its event to be durable.</param>
    public (List<Item> Items, List<Rejection> Rejected) Take(
        RunState state,
        IReadOnlyCollection<string> agents,
        DateTimeOffset now,
        IEnumerable<string> folders,
        bool full,
        bool topLevel = true,
        Func<string, bool>? deleting = null
    )
    {
        var items = new List<Item>();
        var rejected = new List<Rejection>();
        // Checked only when a full scan looks in it, and made when the first file moves there: a run whose inbox never
        // got a file (most of them) has none, so its last scan no longer makes and lists an empty one (W2S:
        // six system calls per run, docs/performance.md). A link or a file in its place is refused as before.
        var taken =
            full && Libc.KindOf(Path.Combine(Directory, TakenFolder)) != Libc.EntryKind.Missing
                ? SafePaths.EnsureDirectory(Directory, TakenFolder)
                : null;

        // A taken file outlives its Take only if the engine stopped before its event was durable: only
        // a full scan (at start, and every rescan interval) needs to look.
        foreach (
            var path in taken is null
                ? Enumerable.Empty<string>()
                : System.IO.Directory.EnumerateFiles(taken).Order(StringComparer.Ordinal)
        )
        {
            var name = Path.GetFileName(path);
            if (state.ConsumedInbox.Contains(Source(name)))
            {
                // Already an event. If this engine is still waiting for that event to be durable, its own
                // delete comes then; otherwise it was left by an engine that stopped (and the events
                // files were made durable before this engine's first scan).
                if (deleting?.Invoke(path) != true)
                    TryDelete(path);
                continue;
            }
            string? reason = "unreadable taken file";
            if (
                TakenName.TryParse(name, out var parsed)
                && TryRead(path, parsed.AgentFolder, parsed.InboxFile, agents, out var item, out reason, name)
            )
                items.Add(item!);
            else
                Reject(path, reason ?? "unreadable taken file", rejected);
        }

        var candidates = new List<(string Path, string? AgentFolder, DateTime Mtime)>();
        if (topLevel || full)
            Collect(Directory, null, candidates);
        foreach (var agent in folders)
        {
            var sub = Path.Combine(Directory, agent);
            if (Libc.KindOf(sub) == Libc.EntryKind.Directory)
                Collect(sub, agent, candidates); // never through a symlink an agent planted
        }
        candidates.Sort(
            (a, b) => a.Mtime != b.Mtime ? a.Mtime.CompareTo(b.Mtime) : string.CompareOrdinal(a.Path, b.Path)
        );

        foreach (var (path, agentFolder, mtime) in candidates)
        {
            var fileName = Path.GetFileName(path);
            // The top level takes decisions and cancels: who may write them is a decision rule.
            if (
                agentFolder is null
                && Libc.OwnerOf(path) is var owner
                && !DecisionRules.MayAnswer(DecisionRules.WriterOf(owner, Libc.geteuid()))
            )
            {
                Reject(
                    path,
                    $"written by uid {owner}, not by the engine's user: decisions and cancels come through Baton (`baton decide`, the API)",
                    rejected
                );
                continue;
            }
            if (!TryRead(path, agentFolder, fileName, agents, out var item, out var reason, takenName: null))
            {
                if (reason is null)
                    continue; // not settled yet: try again on the next scan
                var recent = now.UtcDateTime - mtime < SettleTime;
                if (recent && reason.StartsWith("not valid JSON", StringComparison.Ordinal))
                    continue;
                Reject(path, reason, rejected);
                continue;
            }
            taken ??= SafePaths.EnsureDirectory(Directory, TakenFolder);
            var takenName = TakenName.Make(now, items.Count, agentFolder, fileName).Name;
            File.Move(path, Path.Combine(taken, takenName));
            items.Add(item! with { Path = Path.Combine(taken, takenName), TakenName = takenName });
        }
        return (items, rejected);
    }

    /// <summary>Whether a stopped engine left taken files behind (.taken/ is made only when something is taken).</summary>
    public bool HasTakenFiles()
    {
        var taken = Path.Combine(Directory, TakenFolder);
        return System.IO.Directory.Exists(taken) && System.IO.Directory.EnumerateFiles(taken).Any();
    }

    public static string Source(string takenName) => $"inbox/{TakenFolder}/{takenName}";

    private static void Collect(string dir, string? agentFolder, List<(string, string?, DateTime)> into)
    {
        foreach (var path in System.IO.Directory.EnumerateFiles(dir))
        {
            var name = Path.GetFileName(path);
            if (name.StartsWith('.') || !name.EndsWith(".json", StringComparison.Ordinal) || SafePaths.IsSymlink(path))
                continue;
            into.Add((path, agentFolder, File.GetLastWriteTimeUtc(path)));
        }
    }

    private static bool TryRead(
        string path,
        string? agentFolder,
        string fileName,
        IReadOnlyCollection<string> agents,
        out Item? item,
        out string? reason,
        string? takenName
    )
    {
        item = null;
        var stem = fileName[..^".json".Length];
        var at = stem.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
            stem = stem[..at];

        string type;
        string? agent;
        if (agentFolder is not null)
        {
            if (!EventFiles.TypePattern().IsMatch(stem) || stem.Contains('.', StringComparison.Ordinal))
            {
                reason = $"'{stem}' is not a valid event name (use [a-z][a-z0-9_:-]*)";
                return false;
            }
            if (EventTypes.IsEngineSuffix(stem))
            {
                reason = $"'{stem}' is reserved for the engine";
                return false;
            }
            (type, agent) = (EventTypes.For(agentFolder, stem), agentFolder);
        }
        else if (stem == EventTypes.RunCancel)
            (type, agent) = (stem, null);
        else
        {
            var dot = stem.IndexOf('.', StringComparison.Ordinal);
            var prefix = dot > 0 ? stem[..dot] : "";
            var suffix = dot > 0 ? stem[(dot + 1)..] : "";
            if (
                !EventFiles.TypePattern().IsMatch(stem)
                || !agents.Contains(prefix)
                || suffix.Contains('.', StringComparison.Ordinal)
            )
            {
                reason = $"'{stem}' is not '<agent>.<event>' for an agent of this chain, nor run.cancel";
                return false;
            }
            if (EventTypes.IsEngineSuffix(suffix) && suffix != EventTypes.Decided)
            {
                reason = $"'{suffix}' events are written by the engine only";
                return false;
            }
            (type, agent) = (stem, prefix);
        }

        byte[] bytes;
        try
        {
            bytes = SafePaths.ReadAgentFile(path, 1024 * 1024); // agents as another user own their inbox: no symlink, no FIFO
            if (bytes.Length > 1024 * 1024)
            {
                reason = "more than 1 MiB: over the limit for an event";
                return false;
            }
        }
        catch (FileNotFoundException)
        {
            reason = null;
            return false;
        }
        catch (IOException e)
        {
            reason = $"cannot read: {e.Message}";
            return false;
        }

        JsonElement data;
        try
        {
            if (bytes.AsSpan().Trim(" \t\r\n"u8).IsEmpty)
                data = EventJson.EmptyObject;
            else
            {
                using var doc = JsonDocument.Parse(bytes);
                data = doc.RootElement.Clone();
            }
        }
        catch (JsonException e)
        {
            reason = $"not valid JSON: {e.Message}";
            return false;
        }

        reason = null;
        item = new Item(path, type, agent, data, takenName ?? "");
        return true;
    }

    private void Reject(string path, string reason, List<Rejection> rejected)
    {
        var folder = SafePaths.EnsureDirectory(Directory, RejectedFolder);
        var name = Path.GetFileName(path);
        try
        {
            File.Move(path, Path.Combine(folder, $"{DateTime.UtcNow.Ticks:x16}-{name}"));
        }
        catch (IOException)
        {
            TryDelete(path);
        }
        rejected.Add(new Rejection(Path.GetRelativePath(Path.GetDirectoryName(Directory)!, path), reason));
    }

    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException) { }
    }
}
