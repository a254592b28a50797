using System.Text.Json;
using Baton.Events;

namespace Baton.Runs;

/// <summary>
/// How anyone outside the engine hands it an event: a complete temp file renamed into the inbox (a
/// reader never sees half of one), then the file and its folder fsync'd in one round before
/// returning, so an acknowledged event survives a crash of either side. Writers in one process (the
/// server answering many decisions at once, a script's emitting threads) share those rounds through
/// a group committer of their own. A power loss between the rename and the fsync can leave a named,
/// torn file — one that was never acknowledged, and that the engine rejects as invalid JSON after
/// Inbox.SettleTime; fsyncing before the rename too would cost every writer a second round.
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
        cancellationToken.ThrowIfCancellationRequested();
        var handle = Libc.CreateAndWrite(temp, JsonSerializer.SerializeToUtf8Bytes(data), createNew: true);
        try { Libc.RenameNoReplace(temp, final); }
        catch
        {
            handle.Dispose();
            File.Delete(temp);
            throw;
        }
        await Committer.Commit(handle, final, inboxDirectory); // fsyncs and closes the file, then the folder
        return Path.GetFileName(final);
    }
}
