using System.Text;
using Baton.Chains;
using YamlDotNet.RepresentationModel;

namespace Baton.Testing;

/// <summary>
/// `baton test --agent NAME`: the chain cut down to one prompt agent. Every agent it waits for (by
/// `needs:`, `on:` or a template's `{{ agents.X.output }}`, transitively) becomes a `run:` stub that writes
/// the case's `outputs: {X: …}` as its output, byte for byte; the agent itself waits for all of them
/// (its own `on:` and `when:` dropped) and comes last, so it is the final output; every other agent is left
/// out. The result is still a chain of the same name, run like any other (a real run, counted in `prompt log`).
/// </summary>
public static class AgentUnderTest
{
    /// <summary>The cut-down chain's YAML for one case.</summary>
    /// <exception cref="ArgumentException">The agent is not a prompt agent of the chain, or the case lacks an output the prompt uses.</exception>
    public static string Yaml(Chain chain, string chainYaml, string agentName, TestCase testCase)
    {
        var agent = chain.Agent(agentName);
        if (agent?.Prompt is null)
            throw new ArgumentException(
                $"'{agentName}' is not a prompt agent of chain '{chain.Name}' (prompt agents: {string.Join(", ", chain.Agents.Where(a => a.Prompt is not null).Select(a => a.Name))})"
            );
        var missing = Template
            .References(agent.Prompt.Text + "\n" + agent.Prompt.System)
            .Where(r => r.Kind == TemplateReferenceKind.AgentOutput && !testCase.Outputs.ContainsKey(r.Name!))
            .Select(r => r.Name!)
            .Distinct()
            .ToList();
        if (missing.Count > 0)
            throw new ArgumentException(
                $"the prompt of '{agentName}' uses the output of {string.Join(", ", missing)}: give it in the case as outputs: {{{missing[0]}: …}}"
            );
        var upstream = Upstream(chain, agent);
        var stream = new YamlStream();
        stream.Load(new StringReader(chainYaml));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        var agents = (YamlMappingNode)root.Children[new YamlScalarNode("agents")];
        var cut = new YamlMappingNode();
        foreach (var name in chain.Agents.Select(a => a.Name).Where(upstream.Contains))
            cut.Add(name, new YamlMappingNode { { "run", Stub(testCase.Outputs.GetValueOrDefault(name, "")) } });
        var target = (YamlMappingNode)agents.Children[new YamlScalarNode(agentName)];
        var kept = new YamlMappingNode();
        foreach (var (key, value) in target.Children)
            if (((YamlScalarNode)key).Value is not ("needs" or "on" or "when"))
                kept.Add(key, value);
        if (upstream.Count > 0)
            kept.Add("needs", new YamlSequenceNode(upstream.Select(n => new YamlScalarNode(n))));
        cut.Add(agentName, kept);
        root.Children[new YamlScalarNode("agents")] = cut;
        root.Children.Remove(new YamlScalarNode("triggers")); // a test run is started by the test, nothing else
        using var writer = new StringWriter();
        stream.Save(writer, assignAnchors: false);
        return writer.ToString().TrimEnd().TrimEnd('.').TrimEnd() + "\n"; // YamlStream ends a document with "..."
    }

    /// <summary>A script that writes exactly these bytes as its output (base64: no quoting, no template braces).</summary>
    private static string Stub(string output) =>
        $"printf '%s' '{Convert.ToBase64String(Encoding.UTF8.GetBytes(output))}' | base64 -d > \"$BATON_OUTPUT\"\n";

    /// <summary>Every agent the given one waits for, directly or through others.</summary>
    private static HashSet<string> Upstream(Chain chain, AgentSpec agent)
    {
        var names = chain.Agents.Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
        var found = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<AgentSpec>([agent]);
        while (queue.TryDequeue(out var next))
        {
            var direct = next
                .Needs.Concat(next.On.Select(e => e.Split('.')[0]))
                .Concat(
                    next.Prompt is { } p
                        ? Template
                            .References(p.Text + "\n" + p.System)
                            .Where(r => r.Kind == TemplateReferenceKind.AgentOutput)
                            .Select(r => r.Name!)
                        : []
                );
            foreach (var name in direct)
                if (names.Contains(name) && name != agent.Name && found.Add(name))
                    queue.Enqueue(chain.Agent(name)!);
        }
        return found;
    }
}
