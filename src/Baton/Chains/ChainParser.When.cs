using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Baton.Chains;

internal sealed partial class ChainParser
{
    private static readonly string[] WhenKeys = ["field", "equals", "contains", "matches", "event"];

    /// <summary>`when: otherwise` or `when: {field, equals|contains|matches, event?}` (docs/chains.md, Conditions).</summary>
    private void ParseWhen(AgentDraft agent, YamlNode value)
    {
        var where = $"'when' of agent '{agent.Name}'";
        agent.WhenNode = value;
        if (value is YamlScalarNode { Value: Condition.Otherwise })
        {
            agent.When = new Condition("name", Condition.Otherwise, "", null);
            return;
        }
        if (value is YamlScalarNode)
        {
            _errors.Add(value, $"{where} is 'otherwise' or a mapping: {{field: data.status, equals: approved}}");
            return;
        }
        if (_read.Map(value, where) is not { } map)
            return;
        string? field = null,
            onlyEvent = null;
        var tests = new List<(string Test, string Value, YamlNode Node)>();
        foreach (var (key, name, node) in _read.Entries(map, where))
        {
            switch (name)
            {
                case "field":
                    field = _read.Text(node, $"'field' of {where}");
                    if (field is not null && field != "name" && !ChainNames.DataPath().IsMatch(field))
                    {
                        _errors.Add(
                            node,
                            $"'field' of {where} is 'name' (the event's name) or 'data.<key>' (a value in its data, 'data.a.b' nested), not '{field}'"
                        );
                        field = null;
                    }
                    break;
                case "event":
                    onlyEvent = _read.Text(node, $"'event' of {where}");
                    break;
                case "equals":
                case "contains":
                case "matches":
                    if (_read.Text(node, $"'{name}' of {where}", required: false) is { } text)
                        tests.Add((name, text, node));
                    break;
                default:
                    _read.UnknownKey(key, where, WhenKeys);
                    break;
            }
        }
        if (tests.Count != 1)
        {
            _errors.Add(value, $"{where} needs exactly one of 'equals', 'contains' or 'matches'");
            return;
        }
        var (test, expected, testNode) = tests[0];
        if (test == "matches")
        {
            try
            {
                _ = new Regex(expected, RegexOptions.CultureInvariant);
            }
            catch (ArgumentException e)
            {
                _errors.Add(testNode, $"'matches' of {where} is not a valid regular expression: {e.Message}");
                return;
            }
        }
        if (field is null)
        {
            if (!map.Children.Keys.OfType<YamlScalarNode>().Any(k => k.Value == "field"))
                _errors.Add(value, $"{where} needs 'field': 'name' or 'data.<key>'");
            return;
        }
        agent.When = new Condition(field, test, expected, onlyEvent);
    }

    /// <summary>Once every agent is read: a condition needs events to test, and `otherwise` needs conditions to be the rest of.</summary>
    private void CheckConditions(List<AgentDraft> agents)
    {
        foreach (var agent in agents)
        {
            if (agent.When is not { } when || agent.WhenNode is not { } node)
                continue;
            if (agent.On is not { Count: > 0 })
            {
                _errors.Add(
                    node,
                    $"'when' of agent '{agent.Name}' tests the event that starts it, but the agent has no 'on:' events"
                );
                continue;
            }
            if (when.Event is { } only && !agent.On.Any(o => o.Event == only))
                _errors.Add(
                    node,
                    $"'event' of 'when' of agent '{agent.Name}' must be one of its 'on:' events, not '{only}'"
                );
            if (
                when.IsOtherwise
                && !agents.Any(other =>
                    other != agent
                    && other.When is { IsOtherwise: false } test
                    && other.On?.Any(o => agent.On.Any(mine => mine.Event == o.Event) && test.AppliesTo(o.Event))
                        == true
                )
            )
                _errors.Add(
                    node,
                    $"'when: otherwise' of agent '{agent.Name}': no other agent has a 'when:' on its events, so there is nothing it is the otherwise of"
                );
        }
    }
}
