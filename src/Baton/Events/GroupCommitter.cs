using Microsoft.Win32.SafeHandles;

namespace Baton.Events;

/// <summary>
/// Makes written files durable in batches (group commit). Writers rename a file into place and
/// act on it at once — the page cache survives a kill -9 of the engine — and only what is
/// acknowledged to the outside awaits the returned task. While one batch is being fsync'd, the
/// next one gathers, so the cost of an fsync round is shared by every file written meanwhile.
/// </summary>
public sealed class GroupCommitter : IDisposable
{
    public static GroupCommitter Shared { get; } = new();

    private readonly Lock _gate = new();
    private List<Pending> _pending = [];
    private readonly SemaphoreSlim _work = new(0);
    private readonly Thread _thread;
    private volatile bool _disposed;

    /// <summary>A file to make durable (its handle taken over and closed; null: only its folder), its folder (null: none), and who is told.</summary>
    public readonly record struct Pending(
        SafeFileHandle? File,
        string Path,
        string? Directory,
        TaskCompletionSource Done
    );

    /// <param name="wholeFileSystemRound">Tests lower it to take the syncfs path with a few files.</param>
    public GroupCommitter(int wholeFileSystemRound = 4)
    {
        _wholeFileSystemRound = wholeFileSystemRound;
        _thread = new Thread(Loop) { IsBackground = true, Name = "baton-group-commit" };
        _thread.Start();
    }

    /// <summary>Queues an fsync of a file already written (by anyone, e.g. another process's engine) and of its folder.</summary>
    public Task CommitExisting(string path, string directory) =>
        Commit(File.OpenHandle(path, FileMode.Open, FileAccess.Read), path, directory);

    /// <summary>Queues an fsync of the file (whose handle this takes over and closes) and of its directory (null: none).</summary>
    public Task Commit(SafeFileHandle? file, string path, string? directory)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
            _pending.Add(new Pending(file, path, directory, done));
        _work.Release();
        return done.Task;
    }

    /// <summary>Queues files written together (one pass of a run loop): one wake-up and one round for all of them.</summary>
    public void CommitAll(IReadOnlyList<Pending> files)
    {
        lock (_gate)
            _pending.AddRange(files);
        _work.Release();
    }

    private void Loop()
    {
        while (!_disposed)
        {
            _work.Wait();
            List<Pending> batch;
            lock (_gate)
            {
                if (_pending.Count == 0)
                    continue;
                batch = _pending;
                _pending = [];
            }
            Flush(batch);
        }
        foreach (var fd in _fileSystems.Values)
            Libc.close(fd);
        _fileSystems.Clear();
    }

    private static readonly ParallelOptions InFlight = new() { MaxDegreeOfParallelism = 8 };

    /// <summary>Small rounds (a `baton run` writes one event at a time) stay on this thread: no fan-out, no extra JIT at start.</summary>
    private static void InParallel<T>(List<T> items, Action<T> action)
    {
        if (items.Count <= 2)
            foreach (var item in items)
                action(item);
        else
            Parallel.ForEach(items, InFlight, action);
    }

    /// <summary>
    /// From this many files in one round (4 unless a test says otherwise), one syncfs per filesystem
    /// replaces an fsync per file and per folder. On this disk per-file fsyncs stalled behind each
    /// other under load (a round of 3 took 220 ms while 1,000 runs were starting) and topped out at
    /// ~12,000/s; syncfs rounds took W6 from ~2,200 to ~3,000 events/s and W2 from ~1.6 to ~1.5 s
    /// (docs/performance.md). Rounds of one to three files — `baton run`, a lone `baton emit` — keep
    /// the per-file fsync and never wait for other writers' dirty data.
    /// </summary>
    private readonly int _wholeFileSystemRound;

    /// <summary>
    /// One directory handle per filesystem, kept open: syncfs reports the writeback errors that
    /// happened since its handle was opened, so a fresh handle per round could miss one.
    /// </summary>
    private readonly Dictionary<ulong, int> _fileSystems = [];

    private void Flush(List<Pending> batch)
    {
        if (batch.Count >= _wholeFileSystemRound && TrySyncFileSystems(batch))
            return;
        FlushEach(batch);
    }

    /// <summary>False when a filesystem can't be told (its folder is gone): the caller then syncs file by file.</summary>
    private bool TrySyncFileSystems(List<Pending> batch)
    {
        var deviceOf = new Dictionary<string, ulong>(StringComparer.Ordinal);
        var byDevice = new Dictionary<ulong, string>();
        foreach (var directory in batch.Select(FolderOf).Distinct(StringComparer.Ordinal))
        {
            if (Libc.DeviceOf(directory) is not { } device)
                return false;
            deviceOf[directory] = device;
            byDevice.TryAdd(device, directory);
        }
        var failed = new Dictionary<ulong, IOException>();
        foreach (var (device, directory) in byDevice)
        {
            if (!_fileSystems.TryGetValue(device, out var fd))
            {
                fd = Libc.Open(directory, Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_CLOEXEC);
                if (fd < 0)
                    return false;
                _fileSystems[device] = fd;
            }
            if (Libc.syncfs(fd) != 0)
                failed[device] = new IOException(
                    $"syncing the filesystem of '{directory}' failed: {System.Runtime.InteropServices.Marshal.GetLastPInvokeErrorMessage()}"
                );
        }
        foreach (var item in batch)
        {
            item.File?.Dispose();
            if (failed.TryGetValue(deviceOf[FolderOf(item)], out var e))
                item.Done.TrySetException(e);
            else
                item.Done.TrySetResult();
        }
        return true;
    }

    private static string FolderOf(Pending item) => item.Directory ?? Path.GetDirectoryName(item.Path)!;

    private static void FlushEach(List<Pending> batch)
    {
        // Made when the first fsync fails: a round of one or two files (every `baton run` event) needs none.
        System.Collections.Concurrent.ConcurrentDictionary<string, Exception>? failures = null;
        void Failed(string path, IOException e) =>
            LazyInitializer.EnsureInitialized(ref failures, () =>
                new System.Collections.Concurrent.ConcurrentDictionary<string, Exception>(StringComparer.Ordinal)
            )[path] = e;
        // Several fsyncs in flight at once: the disk overlaps them (one at a time here: ~6,000/s; eight: ~12,000/s).
        InParallel(batch, item =>
        {
            try
            {
                if (item.File is { } handle)
                    Libc.Fsync(handle, item.Path);
            }
            catch (IOException e)
            {
                Failed(item.Path, e);
            }
            finally
            {
                item.File?.Dispose();
            }
        });
        InParallel([.. batch.Select(p => p.Directory).OfType<string>().Distinct(StringComparer.Ordinal)], directory =>
        {
            try
            {
                Libc.FsyncDirectory(directory);
            }
            catch (IOException e)
            {
                Failed(directory, e);
            }
        });
        foreach (var item in batch)
        {
            if (
                failures is not null
                && (
                    failures.TryGetValue(item.Path, out var e)
                    || (item.Directory is { } dir && failures.TryGetValue(dir, out e))
                )
            )
                item.Done.TrySetException(e);
            else
                item.Done.TrySetResult();
        }
    }

    public void Dispose()
    {
        _disposed = true;
        _work.Release();
    }
}
