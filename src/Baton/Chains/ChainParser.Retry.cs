using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Baton.Chains;

internal sealed partial class ChainParser
{
    private static readonly string[] RetryKeys = ["max", "delay", "max_delay", "multiplier"];

    /// <summary>`retry: {max, delay, max_delay, multiplier}` (docs/chains.md, Retries): `retries: N` with the backoff spelled out.</summary>
    private void ParseRetry(AgentDraft agent, YamlScalarNode key, YamlNode value)
    {
        var where = $"'retry' of agent '{agent.Name}'";
        if (_read.Map(value, where) is not { } map)
            return;
        if (agent.RetryKey is not null)
            _errors.Add(
                key,
                $"agent '{agent.Name}' has both 'retries' and 'retry'; 'retries: N' is 'retry: {{max: N}}'"
            );
        agent.RetryKey = key;
        int? max = null;
        TimeSpan? delay = null,
            maxDelay = null;
        double? multiplier = null;
        foreach (var (entryKey, name, node) in _read.Entries(map, where))
        {
            switch (name)
            {
                case "max":
                    max = _read.Int(node, $"'max' of {where}", 0, 10);
                    break;
                case "delay":
                    delay = _read.Duration(node, $"'delay' of {where}");
                    break;
                case "max_delay":
                    maxDelay = _read.Duration(node, $"'max_delay' of {where}");
                    break;
                case "multiplier":
                    if (
                        _read.Text(node, $"'multiplier' of {where}") is { } text
                        && double.TryParse(
                            text,
                            NumberStyles.AllowDecimalPoint,
                            CultureInfo.InvariantCulture,
                            out var m
                        )
                        && m is >= 1 and <= 10
                    )
                        multiplier = m;
                    else
                        _errors.Add(
                            node,
                            $"'multiplier' of {where} must be a number from 1 to 10 (1 = the same delay each time)"
                        );
                    break;
                default:
                    _read.UnknownKey(entryKey, where, RetryKeys);
                    break;
            }
        }
        if (max is null)
        {
            if (!map.Children.Keys.OfType<YamlScalarNode>().Any(k => k.Value == "max"))
                _errors.Add(map, $"{where} needs 'max' (how many retries after the first attempt, 0–10)");
            return;
        }
        if (delay is { } first && maxDelay is { } cap && cap < first)
            _errors.Add(map, $"{where}: 'max_delay' is shorter than 'delay'");
        agent.Retries = max.Value;
        agent.Backoff = new RetryBackoff(delay ?? TimeSpan.FromSeconds(1), maxDelay, multiplier ?? 2);
    }
}
