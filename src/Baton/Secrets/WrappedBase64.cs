using System.Text;

namespace Baton.Secrets;

/// <summary>
/// Base64 as tools print it is wrapped (GNU base64 at 76 columns, openssl and PEM at 64, MIME with
/// CRLF), so a secret's base64 can be cut by a line break that no fixed form matches. This looks at
/// the text with the breaks inside base64 blocks removed — a break counts when the line before it is
/// nothing but base64 characters and the next line starts with one — finds the secret's base64
/// forms there, and masks the pieces on each side of the break, keeping the lines as they were.
/// </summary>
internal static class WrappedBase64
{
    private static bool IsBase64(char c) => char.IsAsciiLetterOrDigit(c) || c is '+' or '/';

    /// <param name="forms">The secret's base64 forms, longest first.</param>
    public static string Mask(string text, IReadOnlyList<string> forms, ref bool changed)
    {
        if (forms.Count == 0 || !text.Contains('\n', StringComparison.Ordinal))
            return text;
        var (joined, origin) = JoinBlocks(text);
        if (joined.Length == text.Length)
            return text;

        var masked = new bool[text.Length];
        var any = false;
        foreach (var form in forms)
            for (
                var at = joined.IndexOf(form, StringComparison.Ordinal);
                at >= 0;
                at = joined.IndexOf(form, at + 1, StringComparison.Ordinal)
            )
            {
                int first = origin[at],
                    last = origin[at + form.Length - 1];
                if (last - first + 1 == form.Length)
                    continue; // on one line: the plain forms already did it
                for (var i = first; i <= last; i++)
                    masked[i] = true;
                any = true;
            }
        if (!any)
            return text;
        changed = true;

        // Each masked stretch of a line becomes one ***; the line breaks stay.
        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (!masked[i] || text[i] is '\n' or '\r')
            {
                result.Append(text[i]);
                continue;
            }
            if (i == 0 || !masked[i - 1] || text[i - 1] is '\n' or '\r')
                result.Append(SecretMasker.Mask);
        }
        return result.ToString();
    }

    /// <summary>The text without the line breaks inside base64 blocks, and for each of its characters where it came from.</summary>
    private static (string Joined, int[] Origin) JoinBlocks(string text)
    {
        var joined = new StringBuilder(text.Length);
        var origin = new int[text.Length];
        var lineIsBase64 = true;
        var lineLength = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var breakLength =
                c == '\n' ? 1
                : c == '\r' && i + 1 < text.Length && text[i + 1] == '\n' ? 2
                : 0;
            if (breakLength > 0)
            {
                var next = i + breakLength;
                if (lineIsBase64 && lineLength > 0 && next < text.Length && IsBase64(text[next]))
                {
                    i = next - 1;
                    lineLength = 0;
                    continue;
                }
                lineIsBase64 = true;
                lineLength = -1; // the break itself is kept; the next line starts after it
            }
            else
                lineIsBase64 &= IsBase64(c);
            origin[joined.Length] = i;
            joined.Append(c);
            lineLength++;
        }
        return (joined.ToString(), origin);
    }
}
