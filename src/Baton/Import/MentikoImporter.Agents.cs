using System.Text.Json.Nodes;
using Baton.Chains;
using YamlDotNet.RepresentationModel;
using static Baton.Import.YamlOut;

namespace Baton.Import;

public sealed partial class MentikoImporter
{
    /// <summary>Fields that describe an agent to people; Mentiko does not run them either.</summary>
    private static readonly string[] Descriptive = ["role", "version", "deliverable", "verification", "description"];

    private ImportedAgent Agent(JsonObject json, string path)
    {
        var id = Str(json, "id", path) ?? throw new MentikoImportException($"{path}.id: missing");
        var agent = new ImportedAgent(AgentSlug(id), path);
        if (agent.Id != id)
            agent.Title = id;
        if (Str(json, "name", path) is { } display && display != agent.Id)
            agent.Title = display;
        string? prompt = null;
        foreach (var (key, value) in json)
        {
            var at = $"{path}.{key}";
            switch (key)
            {
                case "id" or "name":
                    break;
                case "cli":
                    agent.Cli = CliFor(value?.ToString() ?? "", at);
                    break;
                case "task" or "prompt":
                    prompt = prompt is null ? Str(json, key, path) : $"{prompt}\n\n{Str(json, key, path)}";
                    break;
                case "spec":
                    if (SpecReference(Str(json, key, path)!, at) is { } reference)
                        agent.Spec = reference;
                    else
                        prompt = (prompt is null ? "" : prompt + "\n\n") + Spec(Str(json, key, path)!, at);
                    break;
                case "context":
                    if (value is JsonObject context && context["read_first"] is JsonArray files && context.Count == 1)
                    {
                        var list = string.Join(", ", files.Select(f => f?.ToString()));
                        agent.Metadata.Add("read_first", List(files.Select(f => f?.ToString() ?? "")));
                        Warn(
                            at + ".read_first",
                            $"Baton does not load files into the agent's context: the task now ends with 'Read these files first: {list}'"
                        );
                        prompt = (prompt is null ? "" : prompt + "\n\n") + $"Read these files first: {list}";
                    }
                    else
                        throw new MentikoImportException($"{at}: only 'read_first' can be expressed");
                    break;
                case "triggers":
                    agent.Triggers.AddRange(Strings(value, at));
                    break;
                case "emits" when value is JsonArray:
                    agent.ChosenEvents.AddRange(Strings(value, at));
                    Warn(at, $"the agent emits these itself: with 'baton emit NAME', each as '{agent.Id}.NAME'");
                    break;
                case "emits":
                    agent.Emits = Str(json, key, path);
                    Warn(
                        at,
                        $"Baton writes '{agent.Emits}' when the agent exits 0; Mentiko counted it done only once it emitted it (for that, write emits: {{events: [{agent.Emits}], required: true}} and have the agent run 'baton emit {agent.Emits}')"
                    );
                    break;
                case "retry":
                    agent.Retry = Retry(
                        value as JsonObject ?? throw new MentikoImportException($"{at}: expected an object"),
                        at
                    );
                    break;
                case "timeout":
                    if (Seconds(value, at) is var timeout && timeout != "0s")
                        agent.Timeout = timeout;
                    break;
                case "max_rounds":
                    agent.MaxRounds = Int(value, at);
                    break;
                case "wait_for_events":
                    agent.Quorum = WaitFor(
                        value as JsonObject ?? throw new MentikoImportException($"{at}: expected an object"),
                        at
                    );
                    break;
                case "gateways":
                    if (value is JsonObject gateways && gateways["env"] is JsonObject env && gateways.Count == 1)
                        foreach (var (name, envValue) in env)
                            agent.Env[name] = envValue?.ToString() ?? "";
                    else
                        throw new MentikoImportException($"{at}: only 'env' can be expressed");
                    break;
                case "on_error":
                    agent.OnError = Str(json, key, path); // routed once every agent is known (Routing)
                    break;
                case "on_timeout":
                    agent.OnTimeout = Str(json, key, path);
                    break;
                case "authorities":
                    Warn(
                        at,
                        "dropped (kept under metadata): Baton does not limit what one agent may do; isolation is per workspace"
                    );
                    agent.Metadata.Add(key, Scalar(value));
                    break;
                case "branches":
                    throw new MentikoImportException(
                        $"{at}: branches on an agent cannot be expressed; put them on the chain"
                    );
                default:
                    if (!Descriptive.Contains(key))
                        Warn(at, "dropped (kept under metadata); Baton does not act on it");
                    agent.Metadata.Add(key, Scalar(value));
                    break;
            }
        }
        if (prompt is null && agent.Spec is null)
            throw new MentikoImportException($"{path}: the agent has no 'task', 'prompt' or 'spec'");
        if (prompt is not null && prompt.Contains("{{", StringComparison.Ordinal))
            throw new MentikoImportException($"{path}: its task contains '{{{{', which Baton would read as a template");
        if (agent.Cli is null)
            agent.Cli = _defaultCli;
        agent.Task = prompt;
        return agent;
    }

    /// <summary>
    /// The spec file's path relative to the chain being written (`spec:` reads it there, docs/chains.md), or null
    /// when it can't be named so: the YAML goes to stdout, or the file lies outside the workspace of the output.
    /// </summary>
    private string? SpecReference(string file, string path)
    {
        if (_outputPath is null)
            return null;
        var full = Path.GetFullPath(_sourceFolder is null ? file : Path.Combine(_sourceFolder, file));
        if (!File.Exists(full))
            throw new MentikoImportException($"{path}: spec file '{file}' not found next to the chain");
        var root = Path.TrimEndingDirectorySeparator(ChainFiles.FindRoot(_outputPath));
        if (!full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            return null;
        if (File.ReadAllText(full).Contains("{{", StringComparison.Ordinal))
            throw new MentikoImportException(
                $"{path}: spec file '{file}' contains '{{{{', which Baton would read as a template"
            );
        return Path.GetRelativePath(Path.GetDirectoryName(_outputPath)!, full).Replace('\\', '/');
    }

    private string Spec(string file, string path)
    {
        var full = _sourceFolder is null ? file : Path.Combine(_sourceFolder, file);
        if (!File.Exists(full))
            throw new MentikoImportException($"{path}: spec file '{file}' not found next to the chain");
        Warn(
            path,
            _outputPath is null
                ? $"the spec file '{file}' is copied into the task (with -o FILE.yaml it is named by 'spec:' instead)"
                : $"the spec file '{file}' is outside the workspace of {_outputPath}: copied into the task"
        );
        return File.ReadAllText(full);
    }

    private static IEnumerable<string> Strings(JsonNode? node, string path) =>
        node switch
        {
            JsonArray array => array.Select(
                (item, i) =>
                    item is JsonValue v && v.TryGetValue<string>(out var s)
                        ? s
                        : throw new MentikoImportException($"{path}[{i}]: expected a string")
            ),
            JsonValue v when v.TryGetValue<string>(out var s) => [s],
            _ => throw new MentikoImportException($"{path}: expected a list of names"),
        };

    /// <summary>Mentiko retry: max_retries, backoff (exponential | fixed), initial_delay, max_delay, backoff_multiplier (seconds).</summary>
    private YamlMappingNode Retry(JsonObject retry, string path)
    {
        var map = new YamlMappingNode { Style = YamlDotNet.Core.Events.MappingStyle.Flow };
        var max = retry["max_retries"] is { } m ? Int(m, $"{path}.max_retries") : 0;
        if (max > 10)
        {
            Warn($"{path}.max_retries", $"{max} retries is more than Baton's 10: 10");
            max = 10;
        }
        map.Add("max", max.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (retry["initial_delay"] is { } delay)
            map.Add("delay", Seconds(delay, $"{path}.initial_delay"));
        if (retry["max_delay"] is { } cap)
            map.Add("max_delay", Seconds(cap, $"{path}.max_delay"));
        var multiplier =
            retry["backoff_multiplier"] is JsonValue mv && mv.TryGetValue<double>(out var x) ? x : (double?)null;
        switch (retry["backoff"]?.ToString())
        {
            case null or "exponential":
                break;
            case "fixed" or "constant" or "none":
                multiplier = 1;
                break;
            case var other:
                throw new MentikoImportException(
                    $"{path}.backoff: '{other}' cannot be expressed (Baton's delays grow by a multiplier: exponential or fixed)"
                );
        }
        if (multiplier is { } f)
            map.Add("multiplier", f.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var (key, _) in retry)
            if (key is not ("max_retries" or "initial_delay" or "max_delay" or "backoff_multiplier" or "backoff"))
                throw new MentikoImportException($"{path}.{key}: unknown retry setting");
        return map;
    }

    private static (int?, List<string>, string?, string) WaitFor(JsonObject wait, string path)
    {
        var events = Strings(wait["events"], $"{path}.events").ToList();
        if (events.Count == 0)
            throw new MentikoImportException($"{path}.events: lists no events");
        var timeout = wait["timeout"] is { } t && Seconds(t, $"{path}.timeout") is var s && s != "0s" ? s : null;
        int? count = (wait["wait_for"]?.ToString() ?? "all") switch
        {
            "all" => events.Count,
            "any" => null,
            "quorum" => wait["quorum"] is { } q
                ? Int(q, $"{path}.quorum")
                : throw new MentikoImportException($"{path}.quorum: missing"),
            var other => throw new MentikoImportException($"{path}.wait_for: '{other}' is not all, any or quorum"),
        };
        return (count, events, timeout, path);
    }
}
