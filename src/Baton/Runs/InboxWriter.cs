using System.Text.Json;
using Baton.Events;

namespace Baton.Runs;

/// <summary>
/// How anyone outside the engine hands it an event: a temp file renamed into the inbox, fsync'd with
/// its folder before returning, so an acknowledged event survives a crash of either side. Writers in
/// one process (the server answering many decisions at once, a script's emitting threads) share
/// fsync rounds through a group committer of their own: the file's fsync before the rename (a power
/// loss never leaves a named, empty inbox file), the folder's after it.
/// </summary>
public static class InboxWriter
{
    private static readonly GroupCommitter Committer = new();

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
        }
        catch
        {
            handle.Dispose();
            throw;
        }
        await Committer.Commit(handle, temp, directory: null); // fsyncs and closes the file
        Libc.RenameNoReplace(temp, final);
        await Committer.Commit(null, final, inboxDirectory);
        return Path.GetFileName(final);
    }
}
