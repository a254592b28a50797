using System.Text.RegularExpressions;

namespace Baton.Secrets;

/// <summary>
/// `${env:NAME}` and `${secret:NAME}` in baton.yaml values (SPEC §1), so keys never sit in git.
/// Resolved when a value is used, not when the file is loaded: `baton validate` needs no secrets.
/// </summary>
public static partial class ConfigValue
{
    [GeneratedRegex(@"\$\{(env|secret):([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex Reference();

    [GeneratedRegex(@"\$\{[^}]*\}?")]
    private static partial Regex AnyReference();

    /// <summary>A problem with the references in <paramref name="text"/>, or null.</summary>
    public static string? Check(string text)
    {
        foreach (Match m in AnyReference().Matches(text))
            if (!Reference().IsMatch(m.Value))
                return $"'{m.Value}' is not a reference; write ${{env:NAME}} or ${{secret:NAME}}";
        return null;
    }

    /// <exception cref="SecretStoreException">A referenced secret or variable is missing, or secrets cannot be read.</exception>
    public static string Resolve(string text, SecretStore? secrets, Func<string, string?> environment) =>
        Reference()
            .Replace(text, m =>
            {
                var name = m.Groups[2].Value;
                if (m.Groups[1].Value == "env")
                    return environment(name)
                        ?? throw new SecretStoreException(
                            $"environment variable {name} is not set (referenced as ${{env:{name}}} in baton.yaml)"
                        );
                return secrets?.Get(name)
                    ?? throw new SecretStoreException(
                        $"no secret '{name}' in this workspace; set it with `baton secret set {name}`"
                    );
            });
}
