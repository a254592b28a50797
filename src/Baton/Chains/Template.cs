using System.Text;
using System.Text.RegularExpressions;

namespace Baton.Chains;

/// <summary>
/// The whole template language (SPEC §2): `{{ inputs.NAME }}`, `{{ agents.NAME.output }}` and
/// `{{ feedback }}`, substituted once. Substituted values are never scanned again, so an agent's
/// output that contains `{{ ... }}` cannot pull in other data (no injection through outputs).
/// </summary>
public static partial class Template
{
    [GeneratedRegex(
        @"^\s*(?:inputs\.(?<input>[a-z][a-z0-9_]{0,62})|agents\.(?<agent>[a-z][a-z0-9_-]{0,62})\.output|(?<feedback>feedback))\s*$"
    )]
    private static partial Regex Placeholder();

    /// <summary>Every placeholder in order of appearance; throws TemplateException on a malformed one.</summary>
    public static IReadOnlyList<TemplateReference> References(string template)
    {
        var (tokens, errors) = Scan(template);
        return errors.Count > 0 ? throw new TemplateException(errors[0]) : tokens.Select(t => t.Reference).ToList();
    }

    public static string Render(string template, Func<TemplateReference, string> resolve)
    {
        var (tokens, errors) = Scan(template);
        if (errors.Count > 0)
        {
            throw new TemplateException(errors[0]);
        }
        var output = new StringBuilder(template.Length);
        var position = 0;
        foreach (var token in tokens)
        {
            output.Append(template, position, token.Start - position);
            output.Append(resolve(token.Reference));
            position = token.Start + token.Length;
        }
        output.Append(template, position, template.Length - position);
        return output.ToString();
    }

    internal readonly record struct Token(TemplateReference Reference, int Start, int Length);

    /// <summary>All placeholders and all problems, so the loader can report every bad one.</summary>
    internal static (List<Token> Tokens, List<string> Errors) Scan(string template)
    {
        var tokens = new List<Token>();
        var errors = new List<string>();
        var position = 0;
        while ((position = template.IndexOf("{{", position, StringComparison.Ordinal)) >= 0)
        {
            var close = template.IndexOf("}}", position + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                errors.Add($"unclosed '{{{{' at offset {position}");
                break;
            }
            var inner = template[(position + 2)..close];
            var match = Placeholder().Match(inner);
            if (!match.Success)
            {
                errors.Add(
                    $"'{{{{{inner}}}}}' is not a template reference; use {{{{ inputs.NAME }}}}, {{{{ agents.NAME.output }}}} or {{{{ feedback }}}}"
                );
            }
            else
            {
                var reference =
                    match.Groups["input"].Success ? TemplateReference.Input(match.Groups["input"].Value)
                    : match.Groups["agent"].Success ? TemplateReference.AgentOutput(match.Groups["agent"].Value)
                    : TemplateReference.Feedback;
                tokens.Add(new Token(reference, position, close + 2 - position));
            }
            position = close + 2;
        }
        return (tokens, errors);
    }
}
