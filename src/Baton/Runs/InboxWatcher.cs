using System.Runtime.InteropServices;

namespace Baton.Runs;

/// <summary>
/// One inotify instance for the whole process. FileSystemWatcher takes an inotify instance per
/// watcher and the kernel allows 128 per user, which a server with hundreds of active runs would
/// exhaust. Notifications are only a hint: the engine also rescans periodically, and a queue
/// overflow wakes every watcher, so a lost notification delays an event but never loses it.
/// </summary>
public sealed partial class InboxWatcher
{
    public static InboxWatcher Shared { get; } = new();

    private const uint InCloseWrite = 0x8,
        InMovedTo = 0x80,
        InCreate = 0x100,
        InQueueOverflow = 0x4000,
        InIgnored = 0x8000;
    private readonly Lock _gate = new();
    private readonly Dictionary<int, List<Action>> _byWatch = [];
    private int _fd = -1;

    /// <summary>Calls <paramref name="changed"/> (on a background thread) when a file lands in the directory.</summary>
    /// <returns>The subscription; not Active when the kernel refused the watch (e.g. max_user_watches), so only rescans will see files.</returns>
    public Subscription Watch(string directory, Action changed)
    {
        lock (_gate)
        {
            if (_fd < 0)
                Start();
            var wd = inotify_add_watch(_fd, directory, InCloseWrite | InMovedTo | InCreate);
            if (wd < 0)
                return new Subscription(this, -1, changed); // still correct: the periodic rescan covers it
            if (!_byWatch.TryGetValue(wd, out var list))
                _byWatch[wd] = list = [];
            list.Add(changed);
            return new Subscription(this, wd, changed);
        }
    }

    private void Start()
    {
        _fd = inotify_init1(
            0x80000 /* IN_CLOEXEC */
        );
        if (_fd < 0)
            throw new IOException($"inotify_init1 failed: {Marshal.GetLastPInvokeErrorMessage()}");
        new Thread(ReadLoop) { IsBackground = true, Name = "baton-inbox-watcher" }.Start();
    }

    private unsafe void ReadLoop()
    {
        var buffer = new byte[64 * 1024];
        while (true)
        {
            int n;
            fixed (byte* p = buffer)
                n = (int)read(_fd, p, buffer.Length);
            if (n <= 0)
            {
                if (Marshal.GetLastPInvokeError() == Libc.EINTR)
                    continue;
                return;
            }
            var toCall = new HashSet<Action>();
            lock (_gate)
            {
                for (var offset = 0; offset + 16 <= n; )
                {
                    var wd = BitConverter.ToInt32(buffer, offset);
                    var mask = BitConverter.ToUInt32(buffer, offset + 4);
                    var len = BitConverter.ToInt32(buffer, offset + 12);
                    offset += 16 + len;
                    if ((mask & InQueueOverflow) != 0)
                        foreach (var list in _byWatch.Values)
                            toCall.UnionWith(list);
                    else if ((mask & InIgnored) != 0)
                        _byWatch.Remove(wd);
                    else if (_byWatch.TryGetValue(wd, out var list))
                        toCall.UnionWith(list);
                }
            }
            foreach (var callback in toCall)
                callback();
        }
    }

    /// <summary>Whether anyone still watches the directory (a stopped host must have let go of its paused runs).</summary>
    public bool IsWatched(string directory)
    {
        lock (_gate)
        {
            if (_fd < 0)
                return false;
            // The kernel gives a watched inode's existing descriptor back; a new one is removed again at once.
            var wd = inotify_add_watch(_fd, directory, InCloseWrite | InMovedTo | InCreate);
            if (wd < 0)
                return false;
            if (_byWatch.TryGetValue(wd, out var list) && list.Count > 0)
                return true;
            _ = inotify_rm_watch(_fd, wd);
            return false;
        }
    }

    private void Unwatch(int wd, Action changed)
    {
        lock (_gate)
        {
            if (wd < 0 || !_byWatch.TryGetValue(wd, out var list))
                return;
            list.Remove(changed);
            if (list.Count > 0)
                return;
            _byWatch.Remove(wd);
            _ = inotify_rm_watch(_fd, wd);
        }
    }

    public sealed class Subscription(InboxWatcher owner, int wd, Action changed) : IDisposable
    {
        private int _disposed;
        public bool Active => wd >= 0;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
                owner.Unwatch(wd, changed);
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int inotify_init1(int flags);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int inotify_add_watch(int fd, string path, uint mask);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int inotify_rm_watch(int fd, int wd);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial nint read(int fd, byte* buffer, nint count);
}
