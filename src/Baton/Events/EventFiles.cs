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

    [GeneratedRegex(@"^(\d{6,})-([a-z][a-z0-9_.:-]*)\.json$")]
    private static partial Regex FilePattern();

    public static bool TryParse(string fileName, out long seq, out string type)
    {
        var m = FilePattern().Match(fileName);
        seq = m.Success ? long.Parse(m.Groups[1].ValueSpan, CultureInfo.InvariantCulture) : 0;
        type = m.Success ? m.Groups[2].Value : "";
        return m.Success;
    }
}
