using System.IO.Enumeration;
using System.Text.Json;

namespace Baton.Events;

/// <summary>Reads a run's events in sequence order. Readers never need the run's lock.</summary>
public static class EventReader
{
    /// <summary>
    /// The run's last event, found by name and read alone; null when there is none or it does not parse
    /// (a reader then reads them all). Enough to tell a finished run without reading its history.
    /// </summary>
    public static RunEvent? ReadLast(string directory)
    {
        var files = EventFilesIn(directory, afterSeq: 0);
        if (files.Count == 0)
            return null;
        var last = files.MaxBy(f => f.Seq);
        try
        {
            return EventJson.Deserialize(File.ReadAllBytes(last.Path));
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or IOException)
        {
            return null;
        }
    }

    /// <summary>
    /// The highest sequence number among the folder's event files, from its listing alone (no file read); 0 for none.
    /// A host that remembers what it read of a run asks this to learn whether anything was added since.
    /// </summary>
    public static long LastSeq(string directory)
    {
        try
        {
            var last = 0L;
            foreach (
                var seq in new FileSystemEnumerable<long>(
                    directory,
                    (ref entry) => SeqOf(entry.FileName),
                    FolderListing.Options
                )
                {
                    ShouldIncludePredicate = (ref entry) => !entry.IsDirectory,
                }
            )
                last = Math.Max(last, seq);
            return last;
        }
        catch (DirectoryNotFoundException)
        {
            return 0;
        }
    }

    /// <param name="repairTornTail">
    /// Only the owning engine passes true: a last event file that does not parse (a power loss
    /// between rename and fsync can leave one empty — it was never acknowledged) is moved to
    /// <c>events/.torn/</c> so its sequence number is written again.
    /// </param>
    /// <exception cref="InvalidDataException">The folder has a gap in its sequence or a corrupt event before the last.</exception>
    public static IReadOnlyList<RunEvent> ReadAll(string directory, bool repairTornTail = false, long afterSeq = 0)
    {
        var files = SortedEventFiles(directory, afterSeq);
        if (HasGap(files, afterSeq))
            // A listing made while the writer adds files may miss one and show a later one (a directory is listed
            // in hash order, and only entries there for the whole listing are certain to be seen). Files are written
            // in order and never removed, so a second listing, begun after the first ended, sees every file the first
            // saw and every one made before them: a gap still there is one in the history.
            files = SortedEventFiles(directory, afterSeq);

        var events = new List<RunEvent>(files.Count);
        for (var i = 0; i < files.Count; i++)
        {
            var (seq, path) = files[i];
            var expected = afterSeq + 1 + i;
            if (seq != expected)
                throw new InvalidDataException(
                    $"{directory}: event {expected:D6} is missing (found {Path.GetFileName(path)}); the run's history has a gap"
                );
            try
            {
                var e = EventJson.Deserialize(File.ReadAllBytes(path));
                if (e.Seq != seq)
                    throw new JsonException($"its seq is {e.Seq}");
                events.Add(e);
            }
            catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
            {
                var isLast = i == files.Count - 1;
                if (!isLast)
                    throw new InvalidDataException($"{path}: corrupt event ({ex.Message})", ex);
                if (!repairTornTail)
                    break; // the owner may be mid-write; a reader just stops before it
                var torn = Path.Combine(directory, ".torn");
                System.IO.Directory.CreateDirectory(torn);
                File.Move(path, Path.Combine(torn, $"{Path.GetFileName(path)}.{DateTime.UtcNow.Ticks}"));
            }
        }
        return events;
    }

    private static List<(long Seq, string Path)> SortedEventFiles(string directory, long afterSeq)
    {
        var files = EventFilesIn(directory, afterSeq);
        files.Sort((a, b) => a.Seq.CompareTo(b.Seq));
        return files;
    }

    private static bool HasGap(List<(long Seq, string Path)> sorted, long afterSeq) =>
        sorted.Count > 0 && sorted[^1].Seq != afterSeq + sorted.Count;

    /// <summary>An event file's sequence number; -1 for any other name.</summary>
    private static long SeqOf(ReadOnlySpan<char> fileName) =>
        EventFiles.TryParse(fileName, out var seq, out _) ? seq : -1;

    /// <summary>The folder's event files after a sequence number, unordered; none when the folder does not exist yet.</summary>
    private static List<(long Seq, string Path)> EventFilesIn(string directory, long afterSeq)
    {
        var files = new List<(long Seq, string Path)>();
        try
        {
            // Names read where the listing has them: a path is made only for the event files wanted.
            var wanted = new FileSystemEnumerable<(long Seq, string Path)>(
                directory,
                (ref entry) => (SeqOf(entry.FileName), entry.ToFullPath()),
                FolderListing.Options
            )
            {
                ShouldIncludePredicate = (ref entry) => !entry.IsDirectory && SeqOf(entry.FileName) > afterSeq,
            };
            files.AddRange(wanted);
        }
        catch (DirectoryNotFoundException) { } // no events yet (or not a run folder)
        return files;
    }
}
