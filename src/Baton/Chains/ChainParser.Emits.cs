using Baton.Events;
using YamlDotNet.RepresentationModel;

namespace Baton.Chains;

internal sealed partial class ChainParser
{
    private static readonly string[] ChosenEventKeys = ["events", "required"];

    /// <summary>
    /// `emits: [a, b]` or `emits: {events: [a, b], required: true}` (docs/chains.md, Agent-chosen events):
    /// the events the agent emits itself (`baton emit a` becomes `&lt;agent&gt;.a`), where `emits: NAME` is
    /// one the engine writes after it succeeds.
    /// </summary>
    private void ParseChosenEvents(AgentDraft agent, YamlNode value)
    {
        var where = $"'emits' of agent '{agent.Name}'";
        YamlNode? list = value as YamlSequenceNode;
        if (value is YamlMappingNode map)
        {
            foreach (var (key, name, node) in _read.Entries(map, where))
            {
                switch (name)
                {
                    case "events":
                        list = node;
                        break;
                    case "required":
                        agent.EmitsRequired = _read.Text(node, $"'required' of {where}") switch
                        {
                            "true" => true,
                            "false" => false,
                            null => false,
                            var other => Invalid(node, $"'required' of {where} is true or false, not '{other}'"),
                        };
                        break;
                    default:
                        _read.UnknownKey(key, where, ChosenEventKeys);
                        break;
                }
            }
            if (list is null)
            {
                _errors.Add(map, $"{where} needs 'events: [...]'");
                return;
            }
        }
        foreach (var (name, node) in _read.StringList(list!, where, allowSingle: false) ?? [])
        {
            if (!EventFiles.TypePattern().IsMatch(name) || name.Contains('.', StringComparison.Ordinal))
                _errors.Add(
                    node,
                    $"invalid event name '{name}' in {where}; use lower-case letters, digits, '-', '_' and ':', starting with a letter"
                );
            else if (EventTypes.IsEngineSuffix(name))
                _errors.Add(node, $"'{name}' in {where} is written by the engine itself; pick another name");
            else if (!agent.ChosenEvents.Contains(name))
                agent.ChosenEvents.Add(name);
        }
        if (agent.ChosenEvents.Count == 0 && _errors.Count == 0)
            _errors.Add(value, $"{where} lists no events");
    }

    private bool Invalid(YamlNode node, string message)
    {
        _errors.Add(node, message);
        return false;
    }
}
