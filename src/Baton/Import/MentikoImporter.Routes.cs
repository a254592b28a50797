using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;
using static Baton.Import.YamlOut;

namespace Baton.Import;

public sealed partial class MentikoImporter
{
    /// <summary>Mentiko events are global names; in Baton an engine-written `emits:` name stays one, an agent-chosen one is `&lt;agent&gt;.name`.</summary>
    private List<string> Events(string name, string path)
    {
        if (StartTriggers.Contains(name))
            return ["run.started"];
        var events = new List<string>();
        if (_agents.Any(a => a.Emits == name))
            events.Add(name);
        events.AddRange(_agents.Where(a => a.ChosenEvents.Contains(name)).Select(a => $"{a.Id}.{name}"));
        if (events.Count == 0)
            throw new MentikoImportException(
                $"{path}: no agent emits '{name}' (Baton has no events from outside a run; start agents with '{StartTriggers.First()}')"
            );
        return events;
    }

    private void ResolveTriggers()
    {
        foreach (var agent in _agents)
        {
            for (var i = 0; i < agent.Triggers.Count; i++)
                agent.On.AddRange(Events(agent.Triggers[i], $"{agent.Path}.triggers[{i}]"));
            if (agent.Quorum is { } q)
            {
                var events = new List<string>();
                for (var i = 0; i < q.Events.Count; i++)
                {
                    var mapped = Events(q.Events[i], $"{q.Path}.events[{i}]");
                    if (mapped.Count > 1)
                        throw new MentikoImportException(
                            $"{q.Path}.events[{i}]: '{q.Events[i]}' is emitted by several agents ({string.Join(", ", mapped)}), so a count of it cannot be expressed"
                        );
                    events.AddRange(mapped);
                }
                agent.Quorum = (q.Count, events, q.Timeout, q.Path);
            }
        }
        foreach (var agent in _agents)
        {
            if (agent.OnTimeout is { } onTimeout && agent.OnError is { } onError && onTimeout != onError)
            {
                Route(
                    agent,
                    onTimeout,
                    $"{agent.Path}.on_timeout",
                    Condition($"{agent.Id}.failed", "data.reason", "equals", "timeout")
                );
                Route(agent, onError, $"{agent.Path}.on_error", Otherwise());
            }
            else if (agent.OnTimeout is { } timeoutOnly && agent.OnError is null)
                Route(
                    agent,
                    timeoutOnly,
                    $"{agent.Path}.on_timeout",
                    Condition($"{agent.Id}.failed", "data.reason", "equals", "timeout")
                );
            else if ((agent.OnError ?? agent.OnTimeout) is { } handler)
                Route(agent, handler, $"{agent.Path}.on_error", null);
        }
    }

    private void Route(ImportedAgent failing, string handlerId, string path, YamlMappingNode? when)
    {
        var handler = AgentById(handlerId, path);
        handler.On.Add($"{failing.Id}.failed");
        if (when is not null)
            SetWhen(handler, when, path);
        Warn(
            path,
            $"'{handler.Id}' runs on '{failing.Id}.failed'; the run still ends failed (a handler notifies or cleans up)"
        );
    }

    private void Routing(JsonObject routing)
    {
        foreach (var (key, value) in routing)
        {
            var path = $"$.routing.{key}";
            switch (key)
            {
                case "error_handler":
                    var handler = AgentById(value?.ToString() ?? "", path);
                    foreach (var agent in _agents.Where(a => a != handler))
                        handler.On.Add($"{agent.Id}.failed");
                    Warn(
                        path,
                        $"'{handler.Id}' also runs when any other agent fails (on: <agent>.failed); the run still ends failed"
                    );
                    break;
                case "default_timeout":
                    if (Seconds(value, path) is var timeout && timeout != "0s")
                        foreach (var agent in _agents.Where(a => a.Timeout is null))
                            agent.Timeout = timeout;
                    break;
                default:
                    throw new MentikoImportException($"{path}: cannot be expressed");
            }
        }
    }

    /// <summary>`branches: {event: agent | [agents] | "stop" | {conditions: [{if, then}], default} | {fan_out, fan_in, wait_for, quorum}}`.</summary>
    private void Branches(JsonObject branches)
    {
        foreach (var (name, target) in branches)
        {
            var path = $"$.branches.{name}";
            var events = Events(name, path);
            switch (target)
            {
                case JsonValue single:
                    Branch(events, single.ToString(), path, null);
                    break;
                case JsonArray list:
                    for (var i = 0; i < list.Count; i++)
                        Branch(events, list[i]?.ToString() ?? "", $"{path}[{i}]", null);
                    break;
                case JsonObject { } routes when routes["conditions"] is JsonArray conditions:
                    if (events.Count > 1)
                        throw new MentikoImportException(
                            $"{path}: conditions on an event several agents emit cannot be expressed"
                        );
                    for (var i = 0; i < conditions.Count; i++)
                    {
                        var at = $"{path}.conditions[{i}]";
                        var test = conditions[i]?["if"]?.ToString()
                            ?? throw new MentikoImportException($"{at}.if: missing");
                        var then = conditions[i]?["then"]?.ToString()
                            ?? throw new MentikoImportException($"{at}.then: missing");
                        var match = IfPattern().Match(test);
                        if (!match.Success)
                            throw new MentikoImportException(
                                $"{at}.if: '{test}' cannot be expressed; Baton tests one value: 'data.x == v', 'data.x contains v', 'data.x matches re'"
                            );
                        var field = match.Groups[1].Value is "event" or "name"
                            ? "name"
                            : $"data.{match.Groups[1].Value.Replace("data.", "")}";
                        var op = match.Groups[2].Value switch
                        {
                            "==" => "equals",
                            "=~" => "matches",
                            var o => o,
                        };
                        Branch(events, then, $"{at}.then", Condition(events[0], field, op, match.Groups[3].Value));
                    }
                    if (routes["default"]?.ToString() is { } fallback)
                        Branch(events, fallback, $"{path}.default", Otherwise());
                    break;
                case JsonObject { } fan when fan["fan_out"] is JsonArray outs:
                    var targets = outs.Select((o, i) => AgentById(o?.ToString() ?? "", $"{path}.fan_out[{i}]"))
                        .ToList();
                    foreach (var agent in targets)
                        agent.On.AddRange(events);
                    if (fan["fan_in"]?.ToString() is { } fanIn)
                    {
                        var joined = AgentById(fanIn, $"{path}.fan_in");
                        var done = targets.Select(t => $"{t.Id}.done").ToList();
                        int? count = (fan["wait_for"]?.ToString() ?? "all") switch
                        {
                            "all" => done.Count,
                            "any" => null,
                            "quorum" => Int(fan["quorum"], $"{path}.quorum"),
                            var other => throw new MentikoImportException(
                                $"{path}.wait_for: '{other}' is not all, any or quorum"
                            ),
                        };
                        joined.Quorum = (count, done, null, $"{path}.fan_in");
                    }
                    break;
                default:
                    throw new MentikoImportException($"{path}: this branch cannot be expressed");
            }
        }
    }

    private void Branch(List<string> events, string target, string path, YamlMappingNode? when)
    {
        ImportedAgent agent;
        if (target == "stop")
        {
            var id = AgentSlug($"stop-on-{events[0].Replace('.', '-')}");
            while (_agents.Any(a => a.Id == id))
                id = AgentSlug($"{id}-{_agents.Count}");
            agent = new ImportedAgent(id, path) { Stop = $"branch {path}" };
            _agents.Add(agent);
        }
        else
            agent = AgentById(target, path);
        agent.On.AddRange(events);
        if (when is not null)
            SetWhen(agent, when, path);
    }

    private static void SetWhen(ImportedAgent agent, YamlMappingNode when, string path)
    {
        if (agent.When is not null)
            throw new MentikoImportException(
                $"{path}: agent '{agent.Id}' already has a condition; Baton gives an agent one 'when:'"
            );
        agent.When = when;
    }

    private ImportedAgent AgentById(string id, string path) =>
        _agents.FirstOrDefault(a => a.Id == AgentSlug(id) || a.Title == id)
        ?? throw new MentikoImportException($"{path}: no agent '{id}'");

    private static YamlMappingNode Condition(string onEvent, string field, string test, string value) =>
        Flow(("event", new YamlScalarNode(onEvent)), ("field", new YamlScalarNode(field)), (test, Text(value)));

    private static YamlMappingNode Otherwise() => []; // written as `when: otherwise` (ImportedAgent)

    [GeneratedRegex(@"^\s*([\w.]+)\s*(==|=~|contains|matches)\s*['""]?(.*?)['""]?\s*$")]
    private static partial Regex IfPattern();
}
