using System.Text;

namespace Baton.Secrets;

/// <summary>
/// Replaces every known secret value with *** (SPEC §6), also its base64 and URL encodings and each
/// line of a multi-line secret, because that is how secrets leak into logs and error messages.
/// </summary>
public sealed class SecretMasker
{
    public const string Mask = "***";

    // Very short values would mask ordinary text everywhere ("a", "1"); they are not secrets worth the noise.
    private const int MinLength = 4;
    private readonly List<string> _values = [];

    public static SecretMasker Empty { get; } = new();

    public SecretMasker(IEnumerable<string>? values = null)
    {
        foreach (var value in values ?? []) Add(value);
    }

    public SecretMasker Add(string? value)
    {
        if (string.IsNullOrEmpty(value)) return this;
        var forms = new List<string> { value, Convert.ToBase64String(Encoding.UTF8.GetBytes(value)), Uri.EscapeDataString(value) };
        if (value.Contains('\n')) forms.AddRange(value.Split('\n').Select(l => l.TrimEnd('\r')));
        foreach (var form in forms.Where(f => f.Length >= MinLength))
            if (!_values.Contains(form)) _values.Add(form);
        // Longest first, so a value that contains another is masked whole.
        _values.Sort((a, b) => b.Length.CompareTo(a.Length));
        return this;
    }

    public bool IsEmpty => _values.Count == 0;

    public string Apply(string text)
    {
        if (string.IsNullOrEmpty(text)) return text;
        foreach (var value in _values)
            if (text.Contains(value, StringComparison.Ordinal)) text = text.Replace(value, Mask, StringComparison.Ordinal);
        return text;
    }
}
