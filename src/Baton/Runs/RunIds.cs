using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Baton.Runs;

/// <summary>Run ids sort by start time: 20261124-063012-research-digest-7f3a (UTC).</summary>
public static partial class RunIds
{
    [GeneratedRegex(@"^\d{8}-\d{6}-[a-z0-9][a-z0-9-]{0,62}-[0-9a-f]{4}$")]
    private static partial Regex Pattern();

    public static string New(string chainName, DateTimeOffset now) =>
        $"{now.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}-{chainName}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(2))}";

    /// <summary>True for a well-formed id; anything else (.., slashes, NUL) never reaches the file system.</summary>
    public static bool IsValid(ReadOnlySpan<char> id) => Pattern().IsMatch(id);
}
