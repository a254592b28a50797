using System.Text.Json;
using Baton.Events;

namespace Baton.Runs;

/// <summary>
/// How anyone outside the engine hands it an event: a temp file renamed into the inbox, fsync'd with
/// its folder before returning, so an acknowledged event survives a crash of either side.
/// </summary>
public static class InboxWriter
{
    /// <returns>The inbox file's name.</returns>
    public static async Task<string> WriteAsync(string inboxDirectory, string type, JsonElement data, CancellationToken cancellationToken = default)
    {
        var unique = $"{DateTime.UtcNow.Ticks:x16}-{Environment.ProcessId:x}-{Random.Shared.Next():x8}";
        var final = Path.Combine(inboxDirectory, $"{type}@{unique}.json");
        var temp = Path.Combine(inboxDirectory, $".{type}@{unique}.tmp");
        var handle = File.OpenHandle(temp, FileMode.CreateNew, FileAccess.Write);
        try
        {
            await RandomAccess.WriteAsync(handle, JsonSerializer.SerializeToUtf8Bytes(data), 0, cancellationToken);
            Libc.Fsync(handle, temp);
        }
        finally { handle.Dispose(); }
        File.Move(temp, final);
        Libc.FsyncDirectory(inboxDirectory);
        return Path.GetFileName(final);
    }
}
