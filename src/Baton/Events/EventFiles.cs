using System.Globalization;
using System.Text.RegularExpressions;

namespace Baton.Events;

/// <summary>Names of event files: a 6-digit gap-free sequence, then the type.</summary>
public static partial class EventFiles
{
    public static string FileName(long seq, string type) =>
        $"{seq.ToString("D6", CultureInfo.InvariantCulture)}-{type}.json";

    /// <summary>Event and custom-event type names: safe as file names, no path tricks.</summary>
    /// <remarks>':' is allowed after the first letter so names like `research:complete` (Mentiko's) come over unchanged.</remarks>
    [GeneratedRegex(@"^[a-z][a-z0-9_:-]{0,62}(\.[a-z][a-z0-9_:-]{0,62}){0,2}$")]
    public static partial Regex TypePattern();

    /// <summary>
    /// An event file's sequence number and type; false for any other name (readers pass it by).
    /// `NNNNNN-type.json`: six or more ASCII digits (not other scripts' digits, which long.Parse refuses), a dash, a type
    /// that starts with a-z and goes on with a-z 0-9 _ . : -, then `.json`. Read in place: a run's folder is listed on
    /// every resume and every reader's poll, and a regex match made a Match, its groups and two strings per file.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> fileName, out long seq, out ReadOnlySpan<char> type)
    {
        seq = 0;
        type = default;
        var dash = fileName.IndexOf('-');
        if (dash < 6 || fileName[..dash].ContainsAnyExceptInRange('0', '9') || !fileName.EndsWith(".json"))
            return false;
        var name = fileName[(dash + 1)..^".json".Length];
        if (name.IsEmpty || !char.IsAsciiLetterLower(name[0]) || name.ContainsAnyExcept(TypeCharacters))
            return false;
        type = name;
        // a number too long for any run is not an event of it either
        return long.TryParse(fileName[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out seq);
    }

    private static readonly System.Buffers.SearchValues<char> TypeCharacters = System.Buffers.SearchValues.Create(
        "abcdefghijklmnopqrstuvwxyz0123456789_.:-"
    );
}
