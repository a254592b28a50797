using YamlDotNet.RepresentationModel;

namespace Baton.Chains;

/// <summary>The chain's `canary:` (docs/monitoring.md, Prompt drift): a cron schedule, and optionally the judge model.</summary>
internal sealed partial class ChainParser
{
    private CanarySpec? ParseCanary(YamlNode node)
    {
        if (node is YamlScalarNode)
            return Canary(node, _read.Text(node, "'canary'"), null);
        if (_read.Map(node, "'canary'") is not { } map)
            return null;
        string? schedule = null,
            judge = null;
        YamlNode at = map;
        foreach (var (key, name, value) in _read.Entries(map, "'canary'"))
        {
            switch (name)
            {
                case "schedule":
                    at = value;
                    schedule = _read.Text(value, "'canary.schedule'");
                    break;
                case "judge":
                    judge = _read.Text(value, "'canary.judge'");
                    break;
                default:
                    _read.UnknownKey(key, "'canary'", ["schedule", "judge"]);
                    break;
            }
        }
        if (schedule is null)
            _errors.Add(map, "'canary' needs a 'schedule' (cron, e.g. \"0 6 * * *\")");
        return Canary(at, schedule, judge);
    }

    private CanarySpec? Canary(YamlNode at, string? schedule, string? judge)
    {
        if (schedule is null)
            return null;
        if (ScheduleTimes.Problem(schedule) is { } problem)
        {
            _errors.Add(at, $"'canary': {problem}");
            return null;
        }
        return new CanarySpec(schedule.Trim(), judge);
    }
}
