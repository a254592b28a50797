using DiffPlex.Renderer;

namespace Baton.Prompts;

/// <summary>Unified diffs of a prompt agent's texts (DiffPlex), the system text's only when either side has one.</summary>
public static class PromptDiff
{
    /// <summary>Empty when the texts are the same.</summary>
    public static string Unified(PromptText old, string oldName, PromptText current, string currentName)
    {
        var parts = new List<string>();
        if (old.Prompt != current.Prompt)
            parts.Add(Diff(old.Prompt, current.Prompt, $"{oldName} (prompt)", $"{currentName} (prompt)"));
        if (old.System != current.System)
            parts.Add(Diff(old.System ?? "", current.System ?? "", $"{oldName} (system)", $"{currentName} (system)"));
        return string.Join("", parts);
    }

    private static string Diff(string old, string current, string oldName, string currentName)
    {
        var text = UnidiffRenderer.GenerateUnidiff(old, current, oldName, currentName, false, false, 3);
        return text.EndsWith('\n') ? text : text + "\n";
    }

    /// <summary>Colours a unified diff for a terminal: removals red, additions green, hunk headers cyan.</summary>
    public static string Colour(string diff) =>
        string.Join(
            '\n',
            diff.Split('\n')
                .Select(line =>
                    line switch
                    {
                        _ when line.StartsWith("---", StringComparison.Ordinal)
                                || line.StartsWith("+++", StringComparison.Ordinal) => $"\e[1m{line}\e[0m",
                        _ when line.StartsWith("@@", StringComparison.Ordinal) => $"\e[36m{line}\e[0m",
                        _ when line.StartsWith('-') => $"\e[31m{line}\e[0m",
                        _ when line.StartsWith('+') => $"\e[32m{line}\e[0m",
                        _ => line,
                    }
                )
        );
}
