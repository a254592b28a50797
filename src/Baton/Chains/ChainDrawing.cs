using System.Text;

namespace Baton.Chains;

/// <summary>
/// What starts each agent of a chain, for people (`baton graph`, `baton run --dry-run`): as text, a Mermaid
/// flowchart or Graphviz dot. Read from the loaded Chain only, so it shows exactly what the engine will obey.
/// </summary>
public static class ChainDrawing
{
    /// <summary>One arrow into an agent: From is the agent whose event starts it, or null for an event no agent of the chain emits.</summary>
    public sealed record Edge(string? From, string To, string Label)
    {
        /// <summary>The full event name (`writer.done`), which a `when:` with `event:` is matched against.</summary>
        public string Event { get; init; } = Label;
    }

    public static IReadOnlyList<Edge> Edges(Chain chain)
    {
        var edges = new List<Edge>();
        foreach (var agent in chain.Agents)
        {
            var quorum = agent.Quorum?.Of ?? [];
            foreach (var need in agent.Needs.Where(n => !quorum.Contains(n)))
                edges.Add(Source(chain, need, agent.Name));
            foreach (var name in agent.On.Concat(quorum))
                edges.Add(Source(chain, name, agent.Name));
        }
        return edges;
    }

    /// <summary>`writer.done` → (writer, done); a bare agent name is its `done`; anything else comes from outside the chain's agents.</summary>
    private static Edge Source(Chain chain, string name, string to)
    {
        if (chain.Agent(name) is not null)
            return new Edge(name, to, "done") { Event = name + ".done" };
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0 && chain.Agent(name[..dot]) is not null)
            return new Edge(name[..dot], to, name[(dot + 1)..]) { Event = name };
        return new Edge(null, to, name);
    }

    /// <summary>Agents that start when the run starts: nothing to wait for.</summary>
    public static bool StartsFirst(AgentSpec agent) =>
        agent.Needs.Count == 0 && agent.On.Count == 0 && agent.Quorum is null;

    /// <summary>"after draft", "on review.rejected when data.verdict equals no", "quorum 2 of [a, b, c] (timeout 10m)".</summary>
    public static string StartedBy(AgentSpec agent)
    {
        var parts = new List<string>();
        if (StartsFirst(agent))
            parts.Add("at the start");
        var quorum = agent.Quorum?.Of ?? [];
        var needs = agent.Needs.Where(n => !quorum.Contains(n)).ToList();
        if (needs.Count > 0)
            parts.Add("after " + string.Join(" and ", needs));
        if (agent.Quorum is { } q)
            parts.Add(
                (q.Count == 1 ? "any of" : $"quorum {q.Count} of")
                    + $" [{string.Join(", ", q.Of)}]"
                    + (q.Timeout is { } t ? $" (timeout {t})" : "")
            );
        if (agent.On.Count > 0)
            parts.Add("on " + string.Join(" or ", agent.On));
        if (agent.When is { } when)
            parts.Add(
                when.IsOtherwise
                    ? "when no other agent's condition holds (otherwise)"
                    : $"when {when.Field} {when.Test} \"{when.Value}\"" + (when.Event is { } e ? $" (event {e})" : "")
            );
        return string.Join(", ", parts);
    }

    /// <summary>Rounds, events the agent may choose, and a stop branch's reason: what else the reader must know.</summary>
    public static string Notes(AgentSpec agent)
    {
        var notes = new List<string>();
        if (agent.Kind == AgentKind.Stop)
            notes.Add($"stops the run: {agent.Stop}");
        if (agent.MaxRounds > 1)
            notes.Add($"loop: up to {agent.MaxRounds} rounds");
        if (agent.Emits is { } emits)
            notes.Add($"emits {emits}");
        if (agent.ChosenEvents.Count > 0)
            notes.Add(
                "may emit "
                    + string.Join(", ", agent.ChosenEvents.Select(e => $"{agent.Name}.{e}"))
                    + (agent.EmitsRequired ? " (one required)" : "")
            );
        if (agent.Retries > 0)
            notes.Add($"retries {agent.Retries}");
        return string.Join("; ", notes);
    }

    private static string Kind(AgentSpec agent) => agent.Kind.ToString().ToLowerInvariant();

    public static string Text(Chain chain)
    {
        var text = new StringBuilder();
        text.AppendLine(chain.Title is { } title ? $"chain {chain.Name} ({title})" : $"chain {chain.Name}");
        foreach (var trigger in chain.Triggers)
            text.AppendLine($"  trigger {trigger.Kind}: {trigger.Describe()}");
        foreach (var agent in chain.Agents)
        {
            text.AppendLine($"  {agent.Name} [{Kind(agent)}]: {StartedBy(agent)}");
            if (Notes(agent) is { Length: > 0 } notes)
                text.AppendLine($"      {notes}");
        }
        return text.ToString();
    }

    public static string Mermaid(Chain chain)
    {
        var ids = NodeIds(chain);
        var text = new StringBuilder("flowchart TD\n");
        foreach (var trigger in chain.Triggers.Select((t, i) => (t, i)))
            text.AppendLine($"  trigger{trigger.i}([\"{Quote(trigger.t.Kind + ": " + trigger.t.Describe())}\"])");
        foreach (var agent in chain.Agents)
        {
            var label = Quote(agent.Name + (agent.MaxRounds > 1 ? $" (max {agent.MaxRounds} rounds)" : ""));
            text.AppendLine(
                agent.Kind == AgentKind.Stop
                    ? $"  {ids[agent.Name]}{{{{\"stop: {label}\"}}}}"
                    : $"  {ids[agent.Name]}[\"{label}\"]"
            );
            if (StartsFirst(agent))
                foreach (var trigger in chain.Triggers.Select((_, i) => i))
                    text.AppendLine($"  trigger{trigger} --> {ids[agent.Name]}");
        }
        var outside = 0;
        foreach (var edge in Edges(chain))
        {
            var from = edge.From is { } f ? ids[f] : $"event{outside++}";
            if (edge.From is null)
                text.AppendLine($"  {from}((\"{Quote(edge.Label)}\"))");
            var label = Quote(edge.Label + WhenLabel(chain.Agent(edge.To)!, edge.Event));
            text.AppendLine($"  {from} -->|\"{label}\"| {ids[edge.To]}");
        }
        return text.ToString();
    }

    public static string Dot(Chain chain)
    {
        var text = new StringBuilder($"digraph \"{Quote(chain.Name)}\" {{\n  rankdir=TB;\n");
        foreach (var trigger in chain.Triggers.Select((t, i) => (t, i)))
            text.AppendLine(
                $"  \"trigger{trigger.i}\" [shape=oval, label=\"{Quote(trigger.t.Kind + ": " + trigger.t.Describe())}\"];"
            );
        foreach (var agent in chain.Agents)
        {
            var label = Quote(agent.Name + (agent.MaxRounds > 1 ? $"\\n(max {agent.MaxRounds} rounds)" : ""));
            var shape = agent.Kind == AgentKind.Stop ? "octagon" : "box";
            text.AppendLine($"  \"{Quote(agent.Name)}\" [shape={shape}, label=\"{label}\"];");
            if (StartsFirst(agent))
                foreach (var trigger in chain.Triggers.Select((_, i) => i))
                    text.AppendLine($"  \"trigger{trigger}\" -> \"{Quote(agent.Name)}\";");
        }
        foreach (var edge in Edges(chain))
        {
            var from = edge.From ?? "event " + edge.Label;
            if (edge.From is null)
                text.AppendLine($"  \"{Quote(from)}\" [shape=ellipse, label=\"{Quote(edge.Label)}\"];");
            var label = Quote(edge.Label + WhenLabel(chain.Agent(edge.To)!, edge.Event));
            text.AppendLine($"  \"{Quote(from)}\" -> \"{Quote(edge.To)}\" [label=\"{label}\"];");
        }
        return text.Append("}\n").ToString();
    }

    /// <summary>An agent's `when:` on the arrows it tests: all its events, or only its `event:`.</summary>
    private static string WhenLabel(AgentSpec agent, string type) =>
        agent.When switch
        {
            null => "",
            { } w when !w.AppliesTo(type) => "",
            { IsOtherwise: true } => " / otherwise",
            var w => $" / {w.Field} {w.Test} {w.Value}",
        };

    /// <summary>Agent names may hold characters Mermaid ids may not; number them instead.</summary>
    private static Dictionary<string, string> NodeIds(Chain chain) =>
        chain
            .Agents.Select((a, i) => (a.Name, Id: $"a{i}"))
            .ToDictionary(p => p.Name, p => p.Id, StringComparer.Ordinal);

    /// <summary>Both Mermaid's quoted labels and dot's strings end at a bare `"`; a name or value cannot hold one then.</summary>
    private static string Quote(string text) => text.Replace("\"", "'", StringComparison.Ordinal);
}
