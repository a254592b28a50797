using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Baton.Chains;

/// <summary>
/// Durations as chains write them: one or more `&lt;digits&gt;&lt;unit&gt;` parts, units h, m, s, ms in that
/// order, each at most once (`90s`, `10m`, `1h30m`, `500ms`). Fractions and bare numbers are refused
/// so `timeout: 10` cannot silently mean seconds to one reader and minutes to another.
/// </summary>
public static class Duration
{
    private static readonly (string Unit, TimeSpan Size)[] Units =
    [
        ("h", TimeSpan.FromHours(1)),
        ("m", TimeSpan.FromMinutes(1)),
        ("s", TimeSpan.FromSeconds(1)),
        ("ms", TimeSpan.FromMilliseconds(1)),
    ];

    private static readonly TimeSpan Max = TimeSpan.FromDays(365);

    public static bool TryParse(string? text, out TimeSpan value, [NotNullWhen(false)] out string? error)
    {
        value = TimeSpan.Zero;
        error = $"invalid duration '{text}'; use a number and a unit, e.g. 500ms, 90s, 10m, 1h30m";
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }
        var position = 0;
        var nextUnit = 0;
        var total = TimeSpan.Zero;
        while (position < text.Length)
        {
            var start = position;
            while (position < text.Length && char.IsAsciiDigit(text[position]))
            {
                position++;
            }
            if (position == start || position - start > 9)
            {
                return false;
            }
            var number = long.Parse(text.AsSpan(start, position - start), CultureInfo.InvariantCulture);
            var unitStart = position;
            while (position < text.Length && char.IsAsciiLetterLower(text[position]))
            {
                position++;
            }
            var unit = text[unitStart..position];
            var index = Array.FindIndex(Units, u => u.Unit == unit);
            if (index < nextUnit)
            {
                return false; // unknown unit (-1), repeated unit, or units out of order
            }
            nextUnit = index + 1;
            total += Units[index].Size * number;
            if (total > Max)
            {
                error = $"duration '{text}' is too long (at most 365 days)";
                return false;
            }
        }
        if (total <= TimeSpan.Zero)
        {
            error = $"duration '{text}' must be greater than zero";
            return false;
        }
        value = total;
        error = null;
        return true;
    }

    public static TimeSpan Parse(string text) =>
        TryParse(text, out var value, out var error) ? value : throw new FormatException(error);
}
