using System.Runtime.InteropServices;
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

    /// <summary>A name no other writer picks: `TYPE@when-pid-random.json`.</summary>
    public static string NewFileName(string type) =>
        $"{type}@{DateTime.UtcNow.Ticks:x16}-{Environment.ProcessId:x}-{Random.Shared.Next():x8}.json";

    /// <summary>Hands the engine one of its own events (a run.cancel) through the inbox, in the file format of its event.</summary>
    public static Task<string> WriteAsync(string inboxDirectory, EventBody body, string? agent = null) =>
        WriteAsync(inboxDirectory, body.TypeFor(agent), EventCodec.Encode(body));

    /// <param name="fileName">Its name, from NewFileName (when the caller must know it before the file exists); else a new one.</param>
    /// <param name="durable">
    /// False only for a writer that acknowledges nothing until the engine's event for this file is durable (the server
    /// answering a decision waits for that verdict): the file's own fsync round would only delay the engine taking it.
    /// </param>
    /// <returns>The inbox file's name.</returns>
    public static async Task<string> WriteAsync(
        string inboxDirectory,
        string type,
        JsonElement data,
        CancellationToken cancellationToken = default,
        string? fileName = null,
        bool durable = true
    )
    {
        fileName ??= NewFileName(type);
        var final = Path.Combine(inboxDirectory, fileName);
        var temp = Path.Combine(inboxDirectory, $".{Path.GetFileNameWithoutExtension(fileName)}.tmp");
        cancellationToken.ThrowIfCancellationRequested();
        Microsoft.Win32.SafeHandles.SafeFileHandle? handle = null;
        try
        {
            handle = Libc.CreateAndWrite(temp, JsonMarshal.GetRawUtf8Value(data).ToArray(), createNew: true);
            Libc.RenameNoReplace(temp, final);
        }
        catch
        {
            // Not written (a full disk): nothing is left behind, not even an empty temp file.
            handle?.Dispose();
            try
            {
                File.Delete(temp);
            }
            catch (IOException) { }
            throw;
        }
        if (durable)
            await Committer.Commit(handle, final, inboxDirectory); // fsyncs and closes the file, then the folder
        else
            handle.Dispose();
        return fileName;
    }
}
