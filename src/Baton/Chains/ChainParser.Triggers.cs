using YamlDotNet.RepresentationModel;

namespace Baton.Chains;

/// <summary>`triggers:` (docs/chains.md, Triggers): a list of entries, each of exactly one kind.</summary>
internal sealed partial class ChainParser
{
    private static readonly Dictionary<string, string[]> TriggerKeys = new(StringComparer.Ordinal)
    {
        ["schedule"] = ["schedule", "timezone", "catch_up", "inputs"],
        ["webhook"] = ["webhook", "inputs"],
        ["file"] = ["file", "inputs"],
        ["after"] = ["after", "status", "inputs"],
    };

    /// <summary>A parsed trigger and the nodes its chain-level checks point at.</summary>
    private sealed record TriggerDraft(
        string Kind,
        TriggerSpec? Spec,
        IReadOnlyDictionary<string, string> Inputs,
        YamlNode Entry,
        Dictionary<string, YamlScalarNode> InputKeys,
        YamlNode KindValue
    );

    private List<TriggerDraft> ParseTriggers(YamlNode node)
    {
        var triggers = new List<TriggerDraft>();
        if (YamlReader.IsNull(node))
            return triggers;
        if (node is not YamlSequenceNode list)
        {
            _errors.Add(
                node,
                $"'triggers' must be a list (each entry starts with '- schedule:', '- webhook:', '- file:' or '- after:'), not {YamlReader.Describe(node)}"
            );
            return triggers;
        }
        foreach (var item in list.Children)
        {
            if (_read.Map(item, "each entry of 'triggers'") is { } map && ParseTrigger(map) is { } trigger)
                triggers.Add(trigger);
        }
        return triggers;
    }

    private TriggerDraft? ParseTrigger(YamlMappingNode map)
    {
        var entries = _read.Entries(map, "a trigger");
        var kinds = entries.Where(e => TriggerKeys.ContainsKey(e.Name)).ToList();
        if (kinds.Count == 0)
        {
            _errors.Add(
                map,
                $"a trigger needs one of 'schedule', 'webhook', 'file' or 'after'{(entries.Count > 0 ? _errors.Hint(entries[0].Name, TriggerKeys.Keys) : "")}"
            );
            return null;
        }
        if (kinds.Count > 1)
        {
            _errors.Add(
                kinds[1].Key,
                $"a trigger has one kind, but this one has '{kinds[0].Name}' and '{kinds[1].Name}'; write each as its own '- {kinds[1].Name}:' entry"
            );
            return null;
        }
        var (kindKey, kind, kindValue) = kinds[0];
        var where = $"the {kind} trigger";
        Dictionary<string, string> inputs = [];
        Dictionary<string, YamlScalarNode> inputKeys = [];
        string? timezone = null,
            catchUp = null,
            status = null;
        foreach (var (key, name, value) in entries)
        {
            if (name == kind)
                continue;
            if (!TriggerKeys[kind].Contains(name))
            {
                var owner = TriggerKeys.FirstOrDefault(k => k.Key != kind && k.Value.Contains(name)).Key;
                _errors.Add(
                    key,
                    owner is not null
                        ? $"'{name}' belongs to {(owner == "after" ? "an" : "a")} {owner} trigger, not to {where} (its keys: {string.Join(", ", TriggerKeys[kind])})"
                        : $"unknown key '{name}' in {where}{_errors.Hint(name, TriggerKeys[kind])}"
                );
                continue;
            }
            switch (name)
            {
                case "inputs":
                    (inputs, inputKeys) = ParseTriggerInputs(value, kind, where);
                    break;
                case "timezone":
                    timezone = CheckedTimeZone(value, where);
                    break;
                case "catch_up":
                    catchUp = CheckedChoice(value, $"'catch_up' of {where}", ["none", "last"]);
                    break;
                case "status":
                    status = CheckedChoice(value, $"'status' of {where}", ["succeeded", "failed", "any"]);
                    break;
            }
        }
        var location = ChainErrorList.At(kindKey);
        TriggerSpec? spec = kind switch
        {
            "schedule" => CheckedCron(kindValue, where) is { } cron
                ? new ScheduleTrigger(
                    location,
                    inputs,
                    cron,
                    timezone ?? "UTC",
                    catchUp == "none" ? CatchUp.None : CatchUp.Last
                )
                : null,
            "webhook" => CheckedName(
                kindValue,
                $"'webhook' of {where}",
                ChainNames.Secret(),
                "the name of the workspace secret that signs deliveries (e.g. GITHUB_WEBHOOK: capitals, digits and '_')"
            )
                is { } secret
                ? new WebhookTrigger(location, inputs, secret)
                : null,
            "file" => CheckedGlob(kindValue, where) is { } glob ? new FileTrigger(location, inputs, glob) : null,
            _ => CheckedName(
                kindValue,
                $"'after' of {where}",
                ChainNames.Chain(),
                "the name of another chain of this workspace"
            )
                is { } chain
                ? new AfterTrigger(
                    location,
                    inputs,
                    chain,
                    status switch
                    {
                        "failed" => AfterStatus.Failed,
                        "any" => AfterStatus.Any,
                        _ => AfterStatus.Succeeded,
                    }
                )
                : null,
        };
        return new TriggerDraft(kind, spec, inputs, map, inputKeys, kindValue);
    }

    private (Dictionary<string, string>, Dictionary<string, YamlScalarNode>) ParseTriggerInputs(
        YamlNode node,
        string kind,
        string where
    )
    {
        var inputs = new Dictionary<string, string>(StringComparer.Ordinal);
        var keys = new Dictionary<string, YamlScalarNode>(StringComparer.Ordinal);
        if (_read.Map(node, $"'inputs' of {where}") is not { } map)
            return (inputs, keys);
        foreach (var (key, name, value) in _read.Entries(map, $"'inputs' of {where}"))
        {
            if (_read.Text(value, $"input '{name}' of {where}") is not { } template)
                continue;
            foreach (var problem in TriggerTemplate.Check(template, kind))
                _errors.Add(value, $"input '{name}' of {where}: {problem}");
            inputs[name] = template;
            keys[name] = key;
        }
        return (inputs, keys);
    }

    /// <summary>Chain-level checks, once the chain's name and inputs are known (they may come after `triggers:`).</summary>
    private void CheckTriggers(List<TriggerDraft> triggers, string? chainName, List<ChainInput> inputs)
    {
        var names = inputs.Select(i => i.Name).ToList();
        foreach (var trigger in triggers)
        {
            var where = $"the {trigger.Kind} trigger";
            foreach (var (name, key) in trigger.InputKeys)
            {
                if (!names.Contains(name))
                    _errors.Add(
                        key,
                        names.Count == 0
                            ? $"{where} sets input '{name}', but the chain has no 'inputs:'; declare it there"
                            : $"{where} sets unknown input '{name}'{_errors.Hint(name, names)} (inputs: {string.Join(", ", names)})"
                    );
            }
            foreach (var missing in inputs.Where(i => i.Required && !trigger.Inputs.ContainsKey(i.Name)))
                _errors.Add(
                    trigger.Entry,
                    $"{where} starts runs without input '{missing.Name}', which has no default; map it under the trigger's 'inputs:' or give it a default"
                );
            if (trigger.Spec is AfterTrigger after && after.Chain == chainName)
                _errors.Add(
                    trigger.KindValue,
                    $"a chain cannot start after itself ('{after.Chain}' would run forever); name another chain"
                );
        }
    }

    private string? CheckedCron(YamlNode value, string where)
    {
        if (_read.Text(value, $"'schedule' of {where}") is not { } cron)
            return null;
        if (ScheduleTimes.Problem(cron) is { } problem)
        {
            _errors.Add(value, $"'schedule' \"{cron}\": {problem} (e.g. \"0 9 * * 1-5\": 09:00 on weekdays)");
            return null;
        }
        return cron.Trim();
    }

    private string? CheckedTimeZone(YamlNode value, string where)
    {
        if (_read.Text(value, $"'timezone' of {where}") is not { } zone)
            return null;
        if (TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
            return zone;
        _errors.Add(
            value,
            $"unknown time zone '{zone}' in {where}; use an IANA name such as Europe/Berlin or UTC{_errors.Hint(zone, TimeZoneInfo.GetSystemTimeZones().Select(z => z.Id))}"
        );
        return null;
    }

    private string? CheckedChoice(YamlNode value, string what, string[] choices)
    {
        if (_read.Text(value, what) is not { } text)
            return null;
        if (choices.Contains(text))
            return text;
        _errors.Add(value, $"{what} must be {string.Join(" or ", choices)}, not '{text}'{_errors.Hint(text, choices)}");
        return null;
    }

    private string? CheckedName(
        YamlNode value,
        string what,
        System.Text.RegularExpressions.Regex pattern,
        string expected
    )
    {
        if (_read.Text(value, what) is not { } name)
            return null;
        if (pattern.IsMatch(name))
            return name;
        _errors.Add(value, $"{what} must be {expected}, not '{name}'");
        return null;
    }

    private string? CheckedGlob(YamlNode value, string where)
    {
        if (_read.Text(value, $"'file' of {where}") is not { } glob)
            return null;
        var segments = glob.Split('/');
        var problem =
            glob.StartsWith('/') ? "is absolute"
            : segments.Any(s => s is "" or "." or "..") ? "has an empty, '.' or '..' part"
            : segments.Any(s => s.StartsWith('.')) ? "names a hidden file or folder (drop/.taken/ is Baton's)"
            : glob.StartsWith("drop/", StringComparison.Ordinal)
                ? "starts with 'drop/' (the glob is already inside drop/)"
            : null;
        if (problem is null)
            return glob;
        _errors.Add(
            value,
            $"'file' of {where} {problem}; write a pattern inside the workspace's drop/ folder, such as 'invoices/*.pdf' or '**/*.csv'"
        );
        return null;
    }
}
