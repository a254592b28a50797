using YamlDotNet.RepresentationModel;

namespace Baton.Chains;

internal sealed partial class ChainParser
{
    /// <summary>
    /// `chain: NAME` (a chain of the same workspace: a plain name, never a path), `inputs:` (templates, checked
    /// like a prompt's) and `output_from:`. Whether NAME exists, takes those inputs and calls no chain that calls
    /// it back is checked against the workspace's other chains (SubChains), which one file cannot see.
    /// </summary>
    private void ParseSubChain(AgentDraft agent, YamlNode value, Dictionary<string, YamlEntry> extras)
    {
        var where = $"agent '{agent.Name}'";
        var name = _read.Text(value, $"'chain' of {where}");
        if (name is not null && !ChainNames.Chain().IsMatch(name))
        {
            _errors.Add(
                value,
                $"'chain' of {where} must name a chain of this workspace (the file chains/NAME.yaml: lowercase letters, digits and '-'), not '{name}'"
            );
            name = null;
        }
        var inputs = new Dictionary<string, string>(StringComparer.Ordinal);
        if (extras.TryGetValue("inputs", out var given) && _read.Map(given.Value, $"'inputs' of {where}") is { } map)
        {
            foreach (var (key, input, node) in _read.Entries(map, $"'inputs' of {where}"))
            {
                if (_read.Text(node, $"input '{input}' of {where}") is not { } text)
                    continue;
                inputs[input] = text;
                agent.Templates.Add(($"input '{input}'", text, key));
            }
        }
        string? outputFrom = null;
        if (extras.TryGetValue("output_from", out var from))
        {
            outputFrom = _read.Text(from.Value, $"'output_from' of {where}");
            if (outputFrom is not null && !ChainNames.Agent().IsMatch(outputFrom))
            {
                _errors.Add(from.Value, $"'output_from' of {where} must name an agent of chain '{name}'");
                outputFrom = null;
            }
        }
        if (name is not null)
            agent.SubChain = new SubChainSpec(name, inputs, outputFrom, ChainErrorList.At(value));
    }
}
