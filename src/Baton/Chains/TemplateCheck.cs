namespace Baton.Chains;

/// <summary>
/// Checks the templates of `prompt`, `system`, `show` and `task` against the chain: inputs must
/// exist, and an agent's output may only be used downstream of it (otherwise it would not exist
/// yet when the template is rendered). `{{ feedback }}` is always allowed; it is empty until a
/// decision asks for changes.
/// </summary>
internal static class TemplateCheck
{
    public static void Run(List<AgentDraft> agents, List<ChainInput> inputs, ChainGraph graph, ChainErrorList errors)
    {
        var inputNames = inputs.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var agentNames = agents.Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var agent in agents)
        {
            foreach (var (what, text, node) in agent.Templates)
            {
                var where = $"{what} of agent '{agent.Name}'";
                var (tokens, problems) = Template.Scan(text);
                foreach (var problem in problems)
                {
                    errors.Add(node, $"in {where}: {problem}");
                }
                foreach (var reference in tokens.Select(t => t.Reference).Distinct())
                {
                    var name = reference.Name!;
                    switch (reference.Kind)
                    {
                        case TemplateReferenceKind.Input when !inputNames.Contains(name):
                            errors.Add(node, $"{where} uses unknown input '{name}'{errors.Hint(name, inputNames)}");
                            break;
                        case TemplateReferenceKind.AgentOutput when !agentNames.Contains(name):
                            errors.Add(node, $"{where} uses unknown agent '{name}'{errors.Hint(name, agentNames)}");
                            break;
                        case TemplateReferenceKind.AgentOutput when name == agent.Name:
                            errors.Add(
                                node,
                                $"{where} uses its own output; use {{{{ feedback }}}} for a reviewer's comments"
                            );
                            break;
                        case TemplateReferenceKind.AgentOutput when !graph.WaitsFor(agent.Name, name):
                            errors.Add(
                                node,
                                $"{where} uses {reference} but '{agent.Name}' does not wait for '{name}'; add '{name}' to its needs"
                            );
                            break;
                    }
                }
            }
        }
    }
}
