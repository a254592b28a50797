using YamlDotNet.RepresentationModel;

namespace Baton.Chains;

internal sealed partial class ChainParser
{
    private void ParseDecision(AgentDraft agent, YamlScalarNode key, YamlNode value, List<string> names)
    {
        var where = $"decision '{agent.Name}'";
        if (_read.Map(value, $"'decision' of agent '{agent.Name}'") is not { } map)
        {
            return;
        }
        string? show = null,
            onChanges = null,
            defaultOption = null;
        YamlNode? onChangesNode = null,
            defaultNode = null;
        var options = DecisionOptions.ToList();
        var maxRounds = 3;
        TimeSpan? timeout = null;
        foreach (var (entryKey, name, entry) in _read.Entries(map, where))
        {
            switch (name)
            {
                case "show":
                    show = _read.Text(entry, $"'show' of {where}");
                    if (show is not null)
                    {
                        agent.Templates.Add(("show", show, entryKey));
                    }
                    break;
                case "options":
                    options = ParseOptions(entry, where);
                    break;
                case "on_changes":
                    onChanges = _read.Text(entry, $"'on_changes' of {where}");
                    onChangesNode = entry;
                    break;
                case "max_rounds":
                    maxRounds = _read.Int(entry, $"'max_rounds' of {where}", 1, 100) ?? maxRounds;
                    break;
                case "timeout":
                    timeout = _read.Duration(entry, $"'timeout' of {where}");
                    break;
                case "default":
                    defaultOption = _read.Text(entry, $"'default' of {where}");
                    defaultNode = entry;
                    break;
                default:
                    _read.UnknownKey(entryKey, where, DecisionKeys);
                    break;
            }
        }
        if (show is null && !map.Children.Keys.OfType<YamlScalarNode>().Any(k => k.Value == "show"))
        {
            _errors.Add(key, $"{where} needs 'show' (what the reviewer sees)");
        }
        if (defaultOption is not null && !options.Contains(defaultOption))
        {
            _errors.Add(
                defaultNode!,
                $"'default' of {where} must be one of its options ({string.Join(", ", options)}), not '{defaultOption}'"
            );
        }
        if (defaultNode is not null && !map.Children.Keys.OfType<YamlScalarNode>().Any(k => k.Value == "timeout"))
        {
            _errors.Add(defaultNode, $"'default' of {where} only applies after a 'timeout'; add one");
        }
        if (timeout is not null && defaultNode is null)
        {
            _errors.Add(key, $"{where} has a 'timeout' but no 'default' (the decision taken when nobody answers)");
        }
        onChanges = ResolveOnChanges(agent, where, onChanges, onChangesNode, options, names);
        if (show is not null)
        {
            agent.Decision = new DecisionSpec(
                show,
                [.. options.Select(Known)],
                onChanges,
                maxRounds,
                timeout,
                defaultOption is null || !options.Contains(defaultOption) ? null : Known(defaultOption)
            );
        }
    }

    /// <summary>An option already checked against DecisionOptions.</summary>
    private static Events.Decision Known(string option) =>
        Events.DecisionWire.TryParse(option, out var decision)
            ? decision
            : throw new InvalidOperationException($"unchecked decision option '{option}'");

    private List<string> ParseOptions(YamlNode node, string where)
    {
        var options = new List<string>();
        foreach (var (option, optionNode) in _read.StringList(node, $"'options' of {where}", allowSingle: false) ?? [])
        {
            if (!DecisionOptions.Contains(option))
            {
                _errors.Add(
                    optionNode,
                    $"unknown option '{option}' in {where}; options are approve, reject, changes{_errors.Hint(option, DecisionOptions)}"
                );
            }
            else if (!options.Contains(option))
            {
                options.Add(option);
            }
        }
        if (node is YamlSequenceNode { Children.Count: 0 })
        {
            _errors.Add(node, $"'options' of {where} must list at least one of approve, reject, changes");
        }
        return options.Count > 0 ? options : [.. DecisionOptions];
    }

    /// <summary>`on_changes` names an earlier agent to re-run with feedback; default: the agent before.</summary>
    private string? ResolveOnChanges(
        AgentDraft agent,
        string where,
        string? onChanges,
        YamlNode? node,
        List<string> options,
        List<string> names
    )
    {
        if (node is null)
        {
            if (agent.Index > 0)
            {
                return names[agent.Index - 1];
            }
            if (options.Contains("changes"))
            {
                _errors.Add(
                    agent.KeyNode,
                    $"{where} offers 'changes' but no agent comes before it; set 'on_changes' or leave 'changes' out of 'options'"
                );
            }
            return null;
        }
        if (onChanges is null)
        {
            return null;
        }
        var index = _agentPositions.GetValueOrDefault(onChanges, -1);
        if (index < 0)
        {
            _errors.Add(
                node,
                $"'on_changes' of {where} names unknown agent '{onChanges}'{_errors.Hint(onChanges, names)}"
            );
        }
        else if (index >= agent.Index)
        {
            _errors.Add(node, $"'on_changes' of {where} must name an agent written before it, not '{onChanges}'");
        }
        return onChanges;
    }
}
