using System.Text.Json;
using Baton.Workspaces;

namespace Baton.Health;

/// <summary>
/// The parsed lines of the llm-calls day files, kept per file with the length read: a day file is append-only,
/// so the health check after every failed run (and once a minute otherwise) parses only the lines added since
/// the last look, not eight days of calls each time. A file that shrank is read again. Days more than
/// <see cref="KeptDays"/> before the newest day asked for are dropped, so memory stays at what a report reads.
/// </summary>
internal static class CallHealthCache
{
    public const int KeptDays = 9;

    private static readonly Lock Gate = new();

    /// <summary>What was read of one day file. A class, not a value tuple: a Dictionary over a value type is compiled
    /// by the JIT in every process that checks health (each `baton run` with an LLM call), one over a class is not.</summary>
    private sealed record ReadDay(DateTime Day, long Length, List<CallHealth> Calls);

    private static readonly Dictionary<string, ReadDay> Files = new(StringComparer.Ordinal);

    /// <summary>The calls of one day file, in file order (a list that is never changed once returned).</summary>
    public static IReadOnlyList<CallHealth> Day(string workspaceRoot, string relative, DateTime day)
    {
        var key = $"{workspaceRoot}\0{relative}";
        lock (Gate)
        {
            using var stream = WorkspaceDirectory.OpenRead(workspaceRoot, relative, bufferSize: 0);
            if (stream is null)
            {
                Files.Remove(key);
                return [];
            }
            if (!Files.TryGetValue(key, out var known) || stream.Length < known.Length)
                known = new ReadDay(day, 0, []);
            if (stream.Length > known.Length)
                known = ReadFrom(stream, known);
            Files[key] = known;
            foreach (var old in Files.Where(f => f.Value.Day < day.AddDays(-KeptDays)).Select(f => f.Key).ToList())
                Files.Remove(old);
            return known.Calls;
        }
    }

    private static ReadDay ReadFrom(Stream stream, ReadDay known)
    {
        var calls = new List<CallHealth>(known.Calls); // a copy: a list handed out earlier never changes
        var lines = JsonLines.CompleteLinesAfter(stream, known.Length, out var end);
        foreach (var line in lines)
        {
            try
            {
                calls.Add(CallHealth.Parse(line));
            }
            catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException) { }
        }
        return new ReadDay(known.Day, end, calls);
    }
}
