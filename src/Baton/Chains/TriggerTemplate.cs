using System.Text;
using System.Text.RegularExpressions;

namespace Baton.Chains;

/// <summary>
/// The values a trigger hands its run as inputs: `{{ body.a.b }}` (a webhook's JSON), `{{ file.path }}` and
/// `{{ file.name }}` (a dropped file), `{{ after.run_id }}`, `{{ after.status }}`, `{{ after.outputs.AGENT }}`
/// (the run that finished), `{{ schedule.time }}` (the firing, ISO 8601). Substituted once, like chain templates.
/// </summary>
public static partial class TriggerTemplate
{
    [GeneratedRegex(
        @"^\s*(?<ref>body(?:\.[A-Za-z0-9_-]+)*|file\.(?:path|name)|after\.(?:run_id|status|outputs\.[a-z][a-z0-9_-]{0,62})|schedule\.time)\s*$"
    )]
    private static partial Regex Placeholder();

    private static readonly Dictionary<string, string> Examples = new(StringComparer.Ordinal)
    {
        ["schedule"] = "{{ schedule.time }}",
        ["webhook"] = "{{ body.path.to.field }}",
        ["file"] = "{{ file.path }} or {{ file.name }}",
        ["after"] = "{{ after.run_id }}, {{ after.status }} or {{ after.outputs.AGENT }}",
    };

    /// <summary>Every problem of the template for a trigger of this kind; empty when it is fine.</summary>
    public static List<string> Check(string template, string kind)
    {
        var (references, errors) = Scan(template);
        foreach (var reference in references.Select(r => r.Reference))
        {
            var root = reference.Split('.')[0];
            if (root != (kind == "webhook" ? "body" : kind))
                errors.Add($"'{{{{ {reference} }}}}' is not known to a {kind} trigger; use {Examples[kind]}");
        }
        return errors;
    }

    /// <summary>The template with each reference replaced by resolve(reference) (the text after `{{`, trimmed).</summary>
    public static string Render(string template, Func<string, string> resolve)
    {
        var (references, errors) = Scan(template);
        if (errors.Count > 0)
            throw new TemplateException(errors[0]);
        var output = new StringBuilder(template.Length);
        var position = 0;
        foreach (var (reference, start, length) in references)
        {
            output.Append(template, position, start - position);
            output.Append(resolve(reference));
            position = start + length;
        }
        return output.Append(template, position, template.Length - position).ToString();
    }

    private static (List<(string Reference, int Start, int Length)>, List<string>) Scan(string template)
    {
        var references = new List<(string, int, int)>();
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
            var match = Placeholder().Match(template[(position + 2)..close]);
            if (match.Success)
                references.Add((match.Groups["ref"].Value, position, close + 2 - position));
            else
                errors.Add(
                    $"'{template[position..(close + 2)]}' is not a trigger reference; use {string.Join(", ", Examples.Values)}"
                );
            position = close + 2;
        }
        return (references, errors);
    }
}
