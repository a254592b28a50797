using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Baton.Chains;

internal sealed partial class ChainParser
{
    private static readonly string[] KindKeys = ["run", "prompt", "cli", "decision", "stop", "chain"];
    private static readonly string[] CommonKeys =
    [
        "needs",
        "on",
        "emits",
        "timeout",
        "retries",
        "retry",
        "max_rounds",
        "when",
        "title",
        "metadata",
        "env",
        "secrets",
        "if",
        "checks",
        "workdir",
    ];

    /// <summary>The kind each of <see cref="KindKeys"/> names, in the same order.</summary>
    private static readonly AgentKind[] Kinds =
    [
        AgentKind.Run,
        AgentKind.Prompt,
        AgentKind.Cli,
        AgentKind.Decision,
        AgentKind.Stop,
        AgentKind.Chain,
    ];

    /// <summary>Keys only one kind of agent takes. A switch, not a Dictionary keyed by the enum: that instantiation is compiled by the JIT at every start.</summary>
    private static string[] KindOnlyKeys(AgentKind kind) =>
        kind switch
        {
            AgentKind.Prompt => ["system", "model", "output", "schema"],
            AgentKind.Cli => ["task", "spec"],
            AgentKind.Chain => ["inputs", "output_from"],
            _ => [],
        };

    /// <summary>The kind of agent that alone takes this key, if one does.</summary>
    private static AgentKind? OwnerOf(string key)
    {
        foreach (var kind in Kinds)
            if (KindOnlyKeys(kind).Contains(key))
                return kind;
        return null;
    }

    private List<AgentDraft> ParseAgents(YamlScalarNode key, YamlNode node)
    {
        if (_read.Map(node, "agents") is not { } map)
        {
            return [];
        }
        var entries = _read.Entries(map, "agents");
        if (entries.Count == 0)
        {
            _errors.Add(key, "'agents' must define at least one agent");
        }
        if (entries.Count > ChainLimits.MaxAgents)
        {
            _errors.Add(
                key,
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"'agents' has {entries.Count:N0} agents; a chain may have at most {ChainLimits.MaxAgents:N0} (docs/chains.md, Limits)"
                )
            );
            return [];
        }
        var names = entries.Select(e => e.Name).ToList();
        for (var position = 0; position < names.Count; position++)
            _agentPositions.TryAdd(names[position], position);
        var drafts = new List<AgentDraft>();
        foreach (var (agentKey, name, body) in entries)
        {
            if (name == "run")
            {
                _errors.Add(
                    agentKey,
                    "'run' cannot be an agent name: events 'run.started' and 'run.finished' belong to the run itself"
                );
            }
            else if (!ChainNames.Agent().IsMatch(name))
            {
                _errors.Add(
                    agentKey,
                    $"invalid agent name '{name}'; use lowercase letters, digits, '_' and '-' (at most 63, starting with a letter)"
                );
            }
            drafts.Add(ParseAgent(new AgentDraft(name, agentKey, drafts.Count), body, names));
        }
        return drafts;
    }

    private AgentDraft ParseAgent(AgentDraft agent, YamlNode node, List<string> names)
    {
        var where = $"agent '{agent.Name}'";
        if (_read.Map(node, where) is not { } map)
        {
            return agent;
        }
        var entries = _read.Entries(map, where);
        var kinds = entries.Where(e => KindKeys.Contains(e.Name)).ToList();
        if (kinds.Count == 0)
        {
            _errors.Add(
                agent.KeyNode,
                $"{where} needs exactly one of 'run', 'prompt', 'cli', 'decision', 'stop' or 'chain'"
            );
        }
        foreach (var extra in kinds.Skip(1))
        {
            _errors.Add(
                extra.Key,
                $"{where} has both '{kinds[0].Name}' and '{extra.Name}'; an agent is exactly one kind"
            );
        }
        AgentKind? kind = kinds.Count > 0 ? Kinds[Array.IndexOf(KindKeys, kinds[0].Name)] : null;
        agent.Kind = kind;
        var kindOnly = new Dictionary<string, YamlEntry>(StringComparer.Ordinal);
        foreach (var (key, name, value) in entries)
        {
            if (KindKeys.Contains(name))
            {
                continue;
            }
            if (kind is { } k && KindOnlyKeys(k).Contains(name))
            {
                kindOnly[name] = new YamlEntry(key, name, value);
            }
            else if (!ParseCommonKey(agent, key, name, value, names))
            {
                if (OwnerOf(name) is { } owner)
                {
                    _errors.Add(
                        key,
                        $"key '{name}' in {where} only applies to {owner.ToString().ToLowerInvariant()} agents"
                    );
                }
                else
                {
                    var allowed = CommonKeys.Concat(kind is { } known ? KindOnlyKeys(known) : KindKeys);
                    _read.UnknownKey(key, where, kinds.Count > 0 ? allowed.Append(kinds[0].Name) : allowed);
                }
            }
        }
        if (kinds.Count > 0)
        {
            var (kindKey, _, kindValue) = kinds[0];
            switch (kind)
            {
                case AgentKind.Run:
                    ParseRun(agent, kindValue);
                    break;
                case AgentKind.Prompt:
                    ParsePrompt(agent, kindKey, kindValue, kindOnly);
                    break;
                case AgentKind.Cli:
                    ParseCli(agent, kindValue, kindOnly);
                    break;
                case AgentKind.Decision:
                    ParseDecision(agent, kindKey, kindValue, names);
                    break;
                case AgentKind.Stop:
                    agent.Stop = _read.Text(kindValue, $"'stop' of {where}") ?? "";
                    break;
                case AgentKind.Chain:
                    ParseSubChain(agent, kindValue, kindOnly);
                    break;
            }
        }
        return agent;
    }

    /// <summary>Reads one key every agent kind accepts; false when the key is not one of them.</summary>
    private bool ParseCommonKey(AgentDraft agent, YamlScalarNode key, string name, YamlNode value, List<string> names)
    {
        var where = $"agent '{agent.Name}'";
        switch (name)
        {
            case "needs" when value is YamlMappingNode quorum:
                ParseQuorum(agent, quorum, names);
                return true;
            case "needs":
                agent.ExplicitNeeds = YamlReader.IsNull(value)
                    ? []
                    : _read.StringList(value, $"'needs' of {where}", allowSingle: true) ?? [];
                return true;
            case "on":
                agent.On = _read.StringList(value, $"'on' of {where}", allowSingle: true) ?? [];
                return true;
            case "emits" when value is YamlSequenceNode or YamlMappingNode:
                ParseChosenEvents(agent, value);
                return true;
            case "emits":
                agent.Emits = _read.Text(value, $"'emits' of {where}");
                if (
                    agent.Emits is { } emits
                    && (!ChainNames.Event().IsMatch(emits) || emits.StartsWith("run.", StringComparison.Ordinal))
                )
                {
                    _errors.Add(
                        value,
                        $"invalid event name '{emits}' in {where}; use letters, digits, '_', '-' and '.', not starting with 'run.'"
                    );
                }
                return true;
            case "timeout":
                agent.Timeout = _read.Duration(value, $"'timeout' of {where}");
                return true;
            case "retries":
                if (agent.RetryKey is not null)
                    _errors.Add(key, $"{where} has both 'retry' and 'retries'; 'retries: N' is 'retry: {{max: N}}'");
                agent.RetryKey = key;
                agent.Retries = _read.Int(value, $"'retries' of {where}", 0, 10) ?? 0;
                return true;
            case "retry":
                ParseRetry(agent, key, value);
                return true;
            case "max_rounds":
                agent.MaxRounds = _read.Int(value, $"'max_rounds' of {where}", 1, ChainLimits.MaxRounds);
                agent.MaxRoundsNode = value;
                return true;
            case "when":
                ParseWhen(agent, value);
                return true;
            case "title":
                agent.Title = _read.Text(value, $"'title' of {where}");
                return true;
            case "metadata":
                return true; // passed through, never acted on
            case "workdir":
                if (agent.Kind is { } kind && kind is not (AgentKind.Run or AgentKind.Cli))
                    _errors.Add(
                        key,
                        $"'workdir' of {where}: only run and cli agents work in a folder (an LLM call or a decision works in none)"
                    );
                agent.Workdir = ReadWorkdir(value, $"'workdir' of {where}");
                return true;
            case "env":
                ParseEnv(agent, value);
                return true;
            case "secrets":
                var declared = new HashSet<string>(agent.Secrets, StringComparer.Ordinal);
                foreach (
                    var (secret, node) in _read.StringList(value, $"'secrets' of {where}", allowSingle: false) ?? []
                )
                {
                    if (!ChainNames.Secret().IsMatch(secret))
                    {
                        _errors.Add(node, $"invalid secret name '{secret}' in {where}; use A-Z, 0-9 and '_'");
                    }
                    else if (declared.Add(secret))
                    {
                        agent.Secrets.Add(secret);
                    }
                }
                return true;
            case "checks":
                agent.Checks = Checks.CheckReader.ReadList(value, _read, $"'checks' of agent '{agent.Name}'");
                return true;
            case "if":
                _errors.Add(key, $"'{name}' in {where} is not supported yet (SPEC §8, later)");
                return true;
            default:
                return false;
        }
    }

    private void ParseEnv(AgentDraft agent, YamlNode value)
    {
        var where = $"'env' of agent '{agent.Name}'";
        if (_read.Map(value, where) is not { } map)
        {
            return;
        }
        foreach (var (key, name, node) in _read.Entries(map, where))
        {
            if (!ChainNames.EnvVar().IsMatch(name))
            {
                _errors.Add(key, $"invalid environment variable name '{name}' in {where}");
            }
            else if (name.StartsWith("BATON_", StringComparison.OrdinalIgnoreCase))
            {
                _errors.Add(key, $"'{name}' in {where}: names starting with BATON_ are set by Baton");
            }
            else if (YamlReader.IsNull(node))
            {
                agent.Env[name] = "";
            }
            else if (_read.Text(node, $"'{name}' in {where}") is { } text)
            {
                agent.Env[name] = text;
                // `TOPIC: "{{ inputs.topic }}"`: a template, checked like a prompt's (TemplateCheck), filled per attempt.
                agent.Templates.Add(($"env '{name}'", text, node));
            }
        }
    }
}
