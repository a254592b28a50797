using YamlDotNet.RepresentationModel;

namespace Baton.Chains;

internal sealed partial class ChainParser
{
    private static readonly string[] DecisionKeys =
    [
        "show",
        "options",
        "on_changes",
        "max_rounds",
        "timeout",
        "default",
    ];
    private static readonly string[] DecisionOptions = ["approve", "reject", "changes"];

    private void ParseRun(AgentDraft agent, YamlNode value)
    {
        if (_read.Text(value, $"'run' of agent '{agent.Name}'") is not { } text)
        {
            return;
        }
        // Documented decision: a one-line `run: x.sh` (chain-relative) names a script file. An inline
        // script that wants a script in the workdir writes `bash ./x.sh`, which does not match.
        if (ChainNames.ScriptFile().IsMatch(text))
        {
            if (ReadReference(text, value, "script") is { } script)
            {
                agent.Script = new ScriptSpec(script, text);
            }
            return;
        }
        if (string.IsNullOrWhiteSpace(text))
        {
            _errors.Add(value, $"'run' of agent '{agent.Name}' is empty");
        }
        agent.Script = new ScriptSpec(text, null);
    }

    private void ParsePrompt(AgentDraft agent, YamlScalarNode key, YamlNode value, Dictionary<string, YamlEntry> extras)
    {
        var where = $"agent '{agent.Name}'";
        var text = _read.Text(value, $"'prompt' of {where}");
        string? file = null;
        if (
            text is not null
            && !text.Contains('\n')
            && (text.EndsWith(".md", StringComparison.Ordinal) || text.EndsWith(".txt", StringComparison.Ordinal))
        )
        {
            file = text;
            text = ReadReference(file, value, "prompt");
        }
        if (text is not null)
        {
            agent.Templates.Add((file is null ? "prompt" : $"prompt file '{file}'", text, key));
        }
        string? system = null,
            schema = null;
        var model = "default";
        string? output = null;
        foreach (var (name, (extraKey, _, extraValue)) in extras)
        {
            switch (name)
            {
                case "system":
                    system = _read.Text(extraValue, $"'system' of {where}");
                    if (system is not null)
                    {
                        agent.Templates.Add(("system", system, extraKey));
                    }
                    break;
                case "model":
                    model = _read.Text(extraValue, $"'model' of {where}") ?? model;
                    break;
                case "output":
                    output = _read.Text(extraValue, $"'output' of {where}");
                    if (output is not null and not "text" and not "json")
                    {
                        _errors.Add(extraValue, $"'output' of {where} must be 'text' or 'json', not '{output}'");
                    }
                    break;
                case "schema":
                    schema = ParseSchema(extraValue, where);
                    break;
            }
        }
        if (schema is not null && output == "text")
        {
            _errors.Add(
                extras["schema"].Key,
                $"{where} has a 'schema' but 'output: text'; a schema needs 'output: json'"
            );
        }
        // A schema implies JSON output, so `schema:` alone is enough.
        output ??= schema is not null ? "json" : "text";
        if (text is not null)
        {
            agent.Prompt = new PromptSpec(text, file, system, model, output, schema);
        }
    }

    private string? ParseSchema(YamlNode value, string where)
    {
        if (value is YamlMappingNode map)
        {
            var json = YamlJson.Convert(map, out var problem);
            if (problem is not null)
            {
                _errors.Add(value, $"'schema' of {where}: {problem}");
            }
            return json;
        }
        if (value is not YamlScalarNode || _read.Text(value, $"'schema' of {where}") is not { } text)
        {
            _errors.Add(
                value,
                $"'schema' of {where} must be a mapping or a JSON string, not {YamlReader.Describe(value)}"
            );
            return null;
        }
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(text);
            return text;
        }
        catch (System.Text.Json.JsonException e)
        {
            _errors.Add(value, $"'schema' of {where} is not valid JSON: {e.Message}");
            return null;
        }
    }

    private void ParseCli(AgentDraft agent, YamlNode value, Dictionary<string, YamlEntry> extras)
    {
        var where = $"agent '{agent.Name}'";
        var tool = _read.Text(value, $"'cli' of {where}");
        if (tool is not null && !ChainNames.CliTool().IsMatch(tool))
        {
            _errors.Add(
                value,
                $"'cli' of {where} must name a tool from baton.yaml 'clis:' (e.g. claude, codex, aider), not '{tool}'"
            );
        }
        // `spec: prompts/task.md` (Mentiko's prompt file): the file's text is the task; a `task:` too follows it.
        string? specFile = null,
            specText = null;
        if (extras.TryGetValue("spec", out var spec) && _read.Text(spec.Value, $"'spec' of {where}") is { } path)
        {
            specFile = path;
            specText = ReadReference(path, spec.Value, "spec");
            if (specText is not null)
                agent.Templates.Add(($"spec file '{path}'", specText, spec.Key));
        }
        string? taskText = null;
        if (extras.TryGetValue("task", out var task) && _read.Text(task.Value, $"'task' of {where}") is { } text)
        {
            taskText = text;
            agent.Templates.Add(("task", text, task.Key));
        }
        if (spec is null && task is null)
        {
            _errors.Add(agent.KeyNode, $"cli {where} needs a 'task' or a 'spec' (a prompt file)");
            return;
        }
        if (tool is not null && (specFile is null || specText is not null))
        {
            var full =
                specText is null ? taskText ?? ""
                : taskText is null ? specText
                : $"{specText}\n\n{taskText}";
            agent.Cli = new CliSpec(tool, full) { SpecFile = specFile, SpecText = specText };
        }
    }
}
