using YamlDotNet.RepresentationModel;

namespace Baton.Chains;

internal sealed partial class ChainParser
{
    private static readonly string[] QuorumKeys = ["any_of", "quorum", "of", "timeout"];

    /// <summary>
    /// `needs: {any_of: [a, b]}` or `needs: {quorum: 2, of: [a, b, c], timeout: 10m}` (docs/chains.md, Quorum):
    /// entries are events as in `on:`; a bare agent name means its `done`.
    /// </summary>
    private void ParseQuorum(AgentDraft agent, YamlMappingNode map, List<string> names)
    {
        var where = $"'needs' of agent '{agent.Name}'";
        agent.ExplicitNeeds = [];
        int? count = null;
        TimeSpan? timeout = null;
        List<(string, YamlNode)>? of = null;
        YamlNode? ofNode = null;
        var anyOf = false;
        foreach (var (key, name, node) in _read.Entries(map, where))
        {
            switch (name)
            {
                case "any_of":
                case "of":
                    if (of is not null)
                    {
                        _errors.Add(
                            key,
                            $"{where} has both 'any_of' and 'of'; 'any_of: [...]' is 'quorum: 1, of: [...]'"
                        );
                        break;
                    }
                    anyOf = name == "any_of";
                    ofNode = node;
                    of = _read
                        .StringList(node, $"'{name}' of {where}", allowSingle: false)
                        ?.Select(e => (names.Contains(e.Value) ? $"{e.Value}.done" : e.Value, e.Node))
                        .ToList();
                    break;
                case "quorum":
                    count = _read.Int(node, $"'quorum' of {where}", 1, ChainLimits.MaxAgents);
                    break;
                case "timeout":
                    timeout = _read.Duration(node, $"'timeout' of {where}");
                    break;
                default:
                    _read.UnknownKey(key, where, QuorumKeys);
                    break;
            }
        }
        if (of is null)
        {
            if (ofNode is null)
                _errors.Add(map, $"{where} needs 'any_of: [...]' or 'quorum: N' with 'of: [...]'");
            return;
        }
        if (anyOf && count is not null)
        {
            _errors.Add(map, $"{where}: 'any_of' is a quorum of 1; for more, write 'quorum: N' with 'of: [...]'");
            return;
        }
        if (!anyOf && count is null)
        {
            if (!map.Children.Keys.OfType<YamlScalarNode>().Any(k => k.Value == "quorum"))
                _errors.Add(map, $"{where} has 'of' but no 'quorum: N' (how many of them must occur)");
            return;
        }
        var needed = count ?? 1;
        if (of.Count == 0 || needed > of.Count)
        {
            _errors.Add(
                ofNode!,
                $"{where}: a quorum of {needed} needs at least {needed} entries in its list, it has {of.Count}"
            );
            return;
        }
        agent.Quorum = new QuorumDraft(needed, of, timeout);
    }
}

/// <summary>A parsed quorum with the YAML nodes of its entries, for the graph's located errors.</summary>
internal sealed record QuorumDraft(int Count, List<(string Event, YamlNode Node)> Of, TimeSpan? Timeout);
