using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Baton.Secrets;

/// <summary>
/// Replaces every known secret value with *** (SPEC §6) in the forms secrets leak in: raw, base64 (at
/// each of the three byte alignments, so a secret inside a longer base64 blob is caught too, and
/// across the line breaks of wrapped base64), URL-escaped (upper- and lowercase %xx), JSON-escaped
/// (with and without \/), hex, and each line of a multi-line secret. What it cannot catch — a secret
/// split, reversed, compressed or encrypted by a script — is documented in docs/security.md.
/// </summary>
public sealed partial class SecretMasker
{
    public const string Mask = "***";

    // Very short values would mask ordinary text everywhere ("a", "1"); they are not secrets worth the noise.
    private const int MinLength = 4;
    private readonly List<string> _values = [];
    private readonly List<string> _base64 = [];

    public static SecretMasker Empty { get; } = new();

    public SecretMasker(IEnumerable<string>? values = null)
    {
        foreach (var value in values ?? [])
            Add(value);
    }

    /// <summary>
    /// Masks the values of every secret the chain's agents declare, for whatever a run shows a person
    /// (its events, its logs while an agent still writes them). Empty when the store can't be read.
    /// </summary>
    public static SecretMasker ForChain(Workspaces.Workspace workspace, Chains.Chain chain)
    {
        var names = chain.Agents.SelectMany(a => a.Secrets).Distinct().ToList();
        if (names.Count == 0)
            return Empty;
        try
        {
            var store = workspace.Secrets();
            return new SecretMasker(names.Select(store.Get).OfType<string>());
        }
        catch (SecretStoreException)
        {
            return Empty;
        }
    }

    /// <summary>
    /// Every secret of the workspace, for serving files an agent may still be writing (they are
    /// masked on disk only when it exits). Masking more than the run declared costs nothing and
    /// needs no chain; a store that can't be read masks nothing, as nothing could have been handed out.
    /// </summary>
    public static SecretMasker ForWorkspace(Workspaces.Workspace workspace)
    {
        try
        {
            return new SecretMasker(workspace.Secrets().AllValues());
        }
        catch (SecretStoreException)
        {
            return Empty;
        }
    }

    public SecretMasker Add(string? value)
    {
        if (string.IsNullOrEmpty(value))
            return this;
        var lines = value.Contains('\n') ? value.Split('\n').Select(l => l.TrimEnd('\r')) : [];
        foreach (var form in new[] { value }.Concat(lines).SelectMany(Forms).Where(f => f.Length >= MinLength))
            if (!_values.Contains(form))
                _values.Add(form);
        foreach (var form in Base64Forms(Encoding.UTF8.GetBytes(value)).Where(f => f.Length >= MinLength))
            if (!_base64.Contains(form))
                _base64.Add(form);
        // Longest first, so a value that contains another is masked whole.
        _values.Sort((a, b) => b.Length.CompareTo(a.Length));
        _base64.Sort((a, b) => b.Length.CompareTo(a.Length));
        return this;
    }

    private static IEnumerable<string> Forms(string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        yield return value;
        var escaped = Uri.EscapeDataString(value);
        yield return escaped;
        yield return LowercaseEscapes().Replace(escaped, m => m.Value.ToLowerInvariant()); // %2f, as some encoders write it
        foreach (
            var json in new[]
            {
                JsonEncodedText.Encode(value, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString(),
                JsonEncodedText.Encode(value).ToString(),
            }
        )
        {
            yield return json;
            yield return json.Replace("/", "\\/", StringComparison.Ordinal); // PHP's json_encode and others escape '/'
        }
        yield return Convert.ToHexStringLower(bytes);
        yield return Convert.ToHexString(bytes);
        foreach (var form in Base64Forms(bytes))
            yield return form;
    }

    [GeneratedRegex("%[0-9A-F]{2}")]
    private static partial Regex LowercaseEscapes();

    private static IEnumerable<string> Base64Forms(byte[] bytes)
    {
        // In a longer base64 stream the secret starts at byte offset 0, 1 or 2 of a 3-byte group; the
        // characters that depend only on the secret's own bytes are the same whatever surrounds it.
        for (var offset = 0; offset < 3; offset++)
        {
            var padded = new byte[offset + bytes.Length];
            bytes.CopyTo(padded, offset);
            var encoded = Convert.ToBase64String(padded).TrimEnd('=');
            var skip = offset == 0 ? 0 : (offset * 4 + 2) / 3;
            var stableEnd = (offset + bytes.Length) / 3 * 4;
            if (stableEnd - skip >= MinLength)
                yield return encoded[skip..stableEnd];
            if (offset == 0)
                yield return Convert.ToBase64String(bytes);
        }
    }

    public bool IsEmpty => _values.Count == 0;

    public string Apply(string text)
    {
        if (string.IsNullOrEmpty(text))
            return text;
        var changed = false;
        return Replace(text, _values, ref changed);
    }

    /// <param name="forms">The forms as they appear in this text (MaskFile matches UTF-8 bytes as Latin-1).</param>
    private string Replace(string text, IReadOnlyList<string> forms, ref bool changed)
    {
        foreach (var form in forms)
        {
            if (!text.Contains(form, StringComparison.Ordinal))
                continue;
            text = text.Replace(form, Mask, StringComparison.Ordinal);
            changed = true;
        }
        return WrappedBase64.Mask(text, _base64, ref changed); // base64 is ASCII: the same in either reading
    }

    /// <summary>
    /// Masks a file in place, streaming (a gigabyte of output never sits in memory) and byte-exact
    /// elsewhere: the file is read as Latin-1, one char per byte, and the secrets' UTF-8 bytes are
    /// matched the same way, so binary content survives untouched.
    /// </summary>
    /// <returns>True when something was masked.</returns>
    public bool MaskFile(string path)
    {
        if (IsEmpty || !File.Exists(path))
            return false;
        var latin1 = Encoding.Latin1;
        var forms = _values.Select(v => latin1.GetString(Encoding.UTF8.GetBytes(v))).ToList();
        // A match may span a chunk boundary; wrapped base64 is longer by its line breaks (CRLF, every 16+ characters).
        var longest = forms.Max(f => f.Length);
        var overlap = longest - 1 + 2 * (longest / 16 + 1);
        var temp = path + ".masking";
        var changed = false;
        using (var input = new StreamReader(path, latin1, detectEncodingFromByteOrderMarks: false))
        using (var output = new StreamWriter(temp, append: false, latin1))
        {
            var buffer = new char[1 << 20];
            var carry = "";
            int read;
            while ((read = input.Read(buffer, 0, buffer.Length)) > 0)
            {
                var text = Replace(carry + new string(buffer, 0, read), forms, ref changed);
                var keep = Math.Min(overlap, text.Length);
                output.Write(text.AsSpan(0, text.Length - keep));
                carry = text[^keep..];
            }
            output.Write(carry);
        }
        if (changed)
            File.Move(temp, path, overwrite: true);
        else
            File.Delete(temp);
        return changed;
    }
}
