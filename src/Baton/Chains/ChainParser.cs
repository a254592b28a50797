using System.Globalization;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Baton.Chains;

/// <summary>
/// Turns one chain file into a Chain, or into the complete list of its errors (SPEC §2).
/// Parsing is split by concern: this file (document and chain keys), .Agents (common agent keys),
/// .Kinds (run/prompt/cli/decision), .Files (referenced files); ChainGraph and TemplateCheck
/// run once every agent is known.
/// </summary>
internal sealed partial class ChainParser
{
    private static readonly string[] ChainKeys =
    [
        "name",
        "description",
        "inputs",
        "agents",
        "workdir",
        "max_rounds",
        "title",
        "metadata",
        "triggers",
        "notify",
        "canary",
    ];

    private readonly ChainErrorList _errors;
    private readonly YamlReader _read;
    private readonly string _chainPath;
    private readonly Func<string, string?> _readReferencedFile;
    private readonly Dictionary<string, int> _agentPositions = new(StringComparer.Ordinal);
    private readonly List<ChainError> _serverErrors = [];

    private ChainParser(string chainPath, Func<string, string?> readReferencedFile)
    {
        _chainPath = chainPath;
        _readReferencedFile = readReferencedFile;
        _errors = new ChainErrorList(chainPath);
        _read = new YamlReader(_errors);
    }

    public static (Chain? Chain, IReadOnlyList<ChainError> Errors) Parse(
        string chainPath,
        string yamlText,
        Func<string, string?> readReferencedFile
    )
    {
        var parser = new ChainParser(chainPath, readReferencedFile);
        var bytes = Encoding.UTF8.GetByteCount(yamlText);
        if (bytes > ChainLimits.MaxBytes)
        {
            parser._errors.Add(
                new SourceLocation(1, 1),
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"the chain file is {bytes:N0} bytes; a chain may be at most {ChainLimits.MaxBytes:N0} bytes (docs/chains.md, Limits)"
                )
            );
            return (null, parser._errors.ToList());
        }
        var chain = parser.ParseText(yamlText);
        return parser._errors.Count > 0 ? (null, parser._errors.ToList()) : (chain, []);
    }

    private Chain? ParseText(string yamlText)
    {
        var stream = new YamlStream();
        using var text = new StringReader(yamlText);
        var filter = new DuplicateKeyFilter(new Parser(text), ReportDuplicate);
        try
        {
            stream.Load(filter);
        }
        catch (YamlException e)
        {
            _errors.Add(e.Start, $"invalid YAML: {Reason(e)}");
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner fails this way on some unterminated flow collections.
            _errors.Add(filter.LastEnd, "invalid YAML after this point; check for an unclosed '[', '{' or quote");
            return null;
        }
        if (stream.Documents.Count == 0 || YamlReader.IsNull(stream.Documents[0].RootNode))
        {
            _errors.Add(new SourceLocation(1, 1), "the chain file is empty; it needs at least 'name' and 'agents'");
            return null;
        }
        if (stream.Documents.Count > 1)
        {
            _errors.Add(stream.Documents[1].RootNode, "a chain file holds one YAML document; remove the extra '---'");
        }
        return _read.Map(stream.Documents[0].RootNode, "a chain") is { } root ? ParseChain(root) : null;
    }

    private static string Reason(YamlException e)
    {
        // YamlDotNet wraps the real cause ("while scanning ...") in a generic outer message.
        var inner = e.InnerException as YamlException;
        var message = (inner ?? e).Message;
        var marker = message.IndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith('(') && marker > 0 ? message[(marker + 3)..] : message;
    }

    private void ReportDuplicate(YamlDotNet.Core.Events.Scalar key, Mark first, string? parentKey)
    {
        var at = ChainErrorList.At(first);
        _errors.Add(
            key.Start,
            parentKey == "agents"
                ? $"duplicate agent '{key.Value}' (first defined at {at}); agent names must be unique"
                : $"duplicate key '{key.Value}' (first at {at})"
        );
    }

    private Chain? ParseChain(YamlMappingNode root)
    {
        string? name = null,
            title = null,
            description = null,
            workdir = null;
        List<ChainInput> inputs = [];
        List<AgentDraft> agents = [];
        int? maxRounds = null;
        List<TriggerDraft> triggers = [];
        List<NotifyTarget> notify = [];
        CanarySpec? canary = null;
        var sawAgents = false;
        foreach (var (key, keyName, value) in _read.Entries(root, "the chain"))
        {
            switch (keyName)
            {
                case "name":
                    name = _read.Text(value, "name");
                    if (name is not null && !ChainNames.Chain().IsMatch(name))
                    {
                        _errors.Add(
                            value,
                            $"invalid chain name '{name}'; use lowercase letters, digits and '-' (at most 63, starting with a letter or digit)"
                        );
                    }
                    break;
                case "description":
                    description = _read.Text(value, "description", required: false);
                    break;
                case "title":
                    title = _read.Text(value, "title");
                    break;
                case "metadata":
                    break; // passed through: Baton keeps it in the file and never acts on it
                case "inputs":
                    inputs = ParseInputs(value);
                    break;
                case "workdir":
                    workdir = ReadWorkdir(value, "workdir");
                    break;
                case "max_rounds":
                    maxRounds = _read.Int(value, "'max_rounds' of the chain", 1, ChainLimits.MaxRounds);
                    break;
                case "triggers":
                    triggers = ParseTriggers(value);
                    break;
                case "notify":
                    notify = ParseNotify(value);
                    break;
                case "canary":
                    canary = ParseCanary(value);
                    break;
                case "agents":
                    sawAgents = true;
                    agents = ParseAgents(key, value);
                    break;
                default:
                    _read.UnknownKey(key, "the chain", ChainKeys);
                    break;
            }
        }
        if (name is null && !root.Children.Keys.OfType<YamlScalarNode>().Any(k => k.Value == "name"))
        {
            _errors.Add(root, "missing required key 'name'");
        }
        if (!sawAgents)
        {
            _errors.Add(root, "missing required key 'agents'");
        }
        CheckTriggers(triggers, name, inputs);
        if (agents.Count > 0)
        {
            foreach (var agent in agents)
                agent.MaxRounds ??= maxRounds;
            CheckConditions(agents);
            var graph = ChainGraph.Check(agents, _errors);
            TemplateCheck.Run(agents, inputs, graph, _errors);
        }
        return _errors.Count > 0 || name is null
            ? null
            : new Chain(name, description, _chainPath, inputs, agents.Select(a => a.ToSpec()).ToList(), workdir)
            {
                Title = title,
                Triggers = [.. triggers.Select(t => t.Spec!)],
                Notify = notify,
                ServerErrors = _serverErrors,
                Canary = canary,
            };
    }

    /// <summary>A chain's or an agent's `workdir:`; an absolute one is noted for a server to refuse (WorkdirPath).</summary>
    private string? ReadWorkdir(YamlNode value, string what)
    {
        var workdir = _read.Text(value, what);
        if (workdir is null)
            return null;
        if (WorkdirPath.Check(workdir) is { } problem)
            _errors.Add(value, problem);
        else if (WorkdirPath.IsAbsolute(workdir))
            _serverErrors.Add(new ChainError(_chainPath, ChainErrorList.At(value), WorkdirPath.ServerRefusal(workdir)));
        return workdir;
    }

    private List<ChainInput> ParseInputs(YamlNode node)
    {
        var inputs = new List<ChainInput>();
        if (YamlReader.IsNull(node) || _read.Map(node, "inputs") is not { } map)
        {
            return inputs;
        }
        foreach (var (key, name, value) in _read.Entries(map, "inputs"))
        {
            if (!ChainNames.Input().IsMatch(name))
            {
                _errors.Add(
                    key,
                    $"invalid input name '{name}'; use lowercase letters, digits and '_', starting with a letter"
                );
                continue;
            }
            if (value is YamlMappingNode details)
            {
                string? description = null,
                    defaultValue = null;
                foreach (var (detailKey, detailName, detailValue) in _read.Entries(details, $"input '{name}'"))
                {
                    switch (detailName)
                    {
                        case "description":
                            description = _read.Text(detailValue, "description", required: false);
                            break;
                        case "default":
                            defaultValue = _read.Text(detailValue, $"the default of input '{name}'", required: false);
                            break;
                        default:
                            _read.UnknownKey(detailKey, $"input '{name}'", ["description", "default"]);
                            break;
                    }
                }
                inputs.Add(new ChainInput(name, description, defaultValue));
            }
            else
            {
                // `topic: some text` is shorthand for a default; `topic:` alone is a required input.
                inputs.Add(new ChainInput(name, null, _read.Text(value, $"input '{name}'", required: false)));
            }
        }
        return inputs;
    }
}
