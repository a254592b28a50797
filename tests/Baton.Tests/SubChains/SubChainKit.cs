using Baton.Agents;
using Baton.Chains;
using Baton.Events;
using Baton.Runs;

namespace Baton.Tests.SubChains;

/// <summary>A workspace with chains in chains/, a parent run of one of them, and its children found on disk.</summary>
internal static class SubChainKit
{
    public static EngineOptions Options(IAgentRunner? prompt = null) =>
        new()
        {
            RetryBaseDelay = TimeSpan.FromMilliseconds(20),
            KillGrace = TimeSpan.FromSeconds(2),
            Runners = new Dictionary<AgentKind, IAgentRunner>
            {
                [AgentKind.Run] = new BashAgent(),
                [AgentKind.Prompt] = prompt ?? PromptAgent.Shared,
                [AgentKind.Chain] = new SubChainAgent(),
            },
        };

    /// <summary>Writes every chain to chains/NAME.yaml and creates a run of the first, loaded as `baton run` loads it.</summary>
    public static async Task<RunFolder> CreateRunAsync(
        TestWorkspace ws,
        IReadOnlyDictionary<string, string>? inputs,
        params (string Name, string Yaml)[] chains
    )
    {
        foreach (var (name, yaml) in chains)
            ws.Write($"chains/{name}.yaml", yaml);
        var path = Path.Combine(ws.Root, "chains", $"{chains[0].Name}.yaml");
        var chain = ChainLoader.LoadFile(path, ws.Root);
        return await RunCreator.CreateAsync(
            ws.Workspace,
            chain,
            chains[0].Yaml,
            inputs ?? new Dictionary<string, string>(),
            GroupCommitter.Shared
        );
    }

    /// <summary>Every run of the workspace whose run.started names this parent.</summary>
    public static List<(RunFolder Run, RunStarted Started)> Children(TestWorkspace ws, RunFolder parent) =>
        [
            .. RunFolder
                .All(ws.Workspace.RunsRoot)
                .Select(r =>
                    (
                        Run: r,
                        Started: EventReader.ReadAll(r.Events).Select(e => e.Body).OfType<RunStarted>().FirstOrDefault()
                    )
                )
                .Where(r => r.Started?.Parent?.Run == parent.Id)
                .Select(r => (r.Run, r.Started!)),
        ];

    public static RunState State(RunFolder run) => RunState.Fold(EventReader.ReadAll(run.Events));
}
