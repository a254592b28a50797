namespace Baton.Events;

/// <summary>
/// The only writer of a run's <c>events/</c> folder. Append assigns the next sequence number and
/// writes the whole file before returning, so anything acted on after Append survives a kill -9. The
/// returned Durable task completes once the group committer has fsync'd the file and the folder; only
/// acknowledgements to the outside wait for it. Not thread-safe: one run loop owns it.
/// </summary>
/// <remarks>
/// The file is created under its own name (O_EXCL: never over another) and written in one call, not
/// written to a temporary name and renamed: the rename was ~16 µs of kernel time per event on tmpfs, two
/// per step (docs/performance.md). Readers never take half an event all the same: only the last file can be
/// incomplete (the one writer finishes a file before it creates the next), and a last file that does not
/// parse is one being written — EventReader stops before it, and the owner sets it aside when it opens the
/// run (what a kill -9 or a power loss between create and write leaves; it was never acted on).
/// </remarks>
public sealed class EventLog
{
    private readonly GroupCommitter _committer;
    private readonly TimeProvider _time;

    public string Directory { get; }
    public long LastSeq { get; private set; }

    private EventLog(string directory, long lastSeq, GroupCommitter committer, TimeProvider time)
    {
        _time = time;
        Directory = directory;
        LastSeq = lastSeq;
        _committer = committer;
    }

    /// <summary>Opens a run's event folder for appending, returning the events already there.</summary>
    /// <param name="time">The clock that stamps each event's time (default: the system's).</param>
    public static EventLog Open(
        string directory,
        GroupCommitter committer,
        out IReadOnlyList<RunEvent> existing,
        TimeProvider? time = null
    )
    {
        existing = EventReader.ReadAll(directory, repairTornTail: true);
        if (existing.Count == 0 && !System.IO.Directory.Exists(directory))
            System.IO.Directory.CreateDirectory(directory);
        return new EventLog(
            directory,
            existing.Count == 0 ? 0 : existing[^1].Seq,
            committer,
            time ?? TimeProvider.System
        );
    }

    public readonly record struct Appended(RunEvent Event, Task Durable);

    /// <exception cref="IOException">The event could not be written (e.g. the disk is full); nothing was appended.</exception>
    public Appended Append(EventBody body, string? agent, int attempt, string? source = null)
    {
        var e = new RunEvent(
            LastSeq + 1,
            body.TypeFor(agent),
            agent,
            attempt,
            _time.GetUtcNow(),
            body is CustomEvent custom ? custom.Data : null // an engine event's data is written from its record
        )
        {
            Source = source,
            // A custom event is read back as whatever its type says (a run.cancel from the inbox is a RunCancel).
            Body = body is CustomEvent ? null! : body,
        };
        var bytes = EventJson.Serialize(e);
        var path = Path.Combine(Directory, e.FileName);
        Microsoft.Win32.SafeHandles.SafeFileHandle handle;
        try
        {
            handle = Libc.CreateAndWrite(path, bytes, createNew: true);
        }
        catch (IOException failed) when (failed.HResult != Libc.EEXIST)
        {
            // Made but not (wholly) written, e.g. on a full disk: take it back, so the number can be written again.
            try
            {
                File.Delete(path);
            }
            catch (IOException) { }
            throw;
        }
        LastSeq = e.Seq;
        if (_held is null)
            return new Appended(e, _committer.Commit(handle, path, Directory));
        var durable = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _held.Add(new GroupCommitter.Pending(handle, path, Directory, durable));
        if (_held.Count >= HandOverAt)
        {
            _committer.CommitAll(_held); // copied into the committer's queue
            _held.Clear();
        }
        return new Appended(e, durable.Task);
    }

    private List<GroupCommitter.Pending>? _held;

    /// <summary>
    /// A pass that writes more (the ingest of an agent that emitted thousands of events) hands its files over in
    /// fours: each held file is an open descriptor, and the committer syncs while the loop still writes.
    /// </summary>
    private const int HandOverAt = 4;

    /// <summary>
    /// Until the returned scope ends, appended files go to the group committer together rather than one by one:
    /// a run loop's pass (an agent's done, the next one's started) is then one commit round with one fsync of the
    /// folder, where each event alone was a round and a folder fsync of its own. Nothing waits on the files
    /// meanwhile (they are written, so a kill -9 loses nothing); only their Durable tasks complete later.
    /// </summary>
    public HeldCommits HoldCommits()
    {
        if (_held is not null)
            return default; // already held by an outer scope, which hands them over
        _held = [];
        return new HeldCommits(this);
    }

    public readonly struct HeldCommits(EventLog? log) : IDisposable
    {
        public void Dispose()
        {
            if (log?._held is not { } held)
                return;
            log._held = null;
            if (held.Count > 0)
                log._committer.CommitAll(held);
        }
    }
}
