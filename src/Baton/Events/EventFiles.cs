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

    // ASCII digits only: \d would also take other scripts' digits, which long.Parse then refuses.
    [GeneratedRegex(@"^([0-9]{6,})-([a-z][a-z0-9_.:-]*)\.json$")]
    private static partial Regex FilePattern();

    /// <summary>An event file's sequence number and type; false for any other name (readers pass it by).</summary>
    public static bool TryParse(string fileName, out long seq, out string type)
    {
        var m = FilePattern().Match(fileName);
        seq = 0;
        type = "";
        if (
            !m.Success
            || !long.TryParse(m.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out seq)
        )
            return false; // a number too long for any run is not an event of it either
        type = m.Groups[2].Value;
        return true;
    }
}
