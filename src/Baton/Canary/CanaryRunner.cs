using Baton.Assertions;
using Baton.Chains;
using Baton.Monitoring;
using Baton.Prompts;
using Baton.Providers;
using Baton.Runs;
using Baton.Testing;
using Baton.Workspaces;

namespace Baton.Canary;

/// <summary>
/// Prompt drift (docs/monitoring.md): a canary runs the chain's test cases (tests/&lt;chain&gt;.yaml, through
/// `baton test`'s ChainTester) against the providers as configured, stores each case's assertions and final
/// output, and compares them with the baseline canary. When cases moved while the prompt hash is the
/// baseline's, the model is what changed: a `model_drift` alert with the cases and their before/after outputs.
/// Run by the server on the chain's `canary:` schedule, and by `baton canary CHAIN`.
/// </summary>
/// <param name="judges">Where the judge model is called; null: the engine's prompt runner's pool (its breakers and gates).</param>
public sealed class CanaryRunner(Workspace workspace, EngineOptions options, ProviderPool? judges = null)
{
    private readonly ProviderPool _pool = judges
        ?? (options.Runners.GetValueOrDefault(AgentKind.Prompt) as Agents.PromptAgent)?.Pool
        ?? Agents.PromptAgent.Shared.Pool;

    public static string CasesFile(string workspaceRoot, string chain) =>
        Path.Combine(workspaceRoot, "tests", chain + ".yaml");

    /// <summary>The chain's prompts as written (each prompt agent's name, system and prompt templates, in chain order).</summary>
    public static string PromptHash(Chain chain) =>
        RunVersions.Sha256(
            string.Join(
                "\0\0",
                chain
                    .Agents.Where(a => a.Prompt is not null)
                    .Select(a => $"{a.Name}\0{a.Prompt!.System}\0{a.Prompt.Text}")
            )
        );

    /// <exception cref="FileNotFoundException">The chain has no test cases.</exception>
    public async Task<CanaryComparison> RunAsync(
        Chain chain,
        string chainYaml,
        CancellationToken cancellationToken = default
    )
    {
        var casesPath = CasesFile(workspace.Root, chain.Name);
        var text = WorkspaceDirectory.ReadText(workspace.Root, Path.GetRelativePath(workspace.Root, casesPath))
            ?? throw new FileNotFoundException(
                $"chain '{chain.Name}' has no test cases for its canary: write tests/{chain.Name}.yaml (docs/prompts.md)",
                casesPath
            );
        var testCases = TestCaseFile.Parse(casesPath, text);
        var now = options.Time.GetUtcNow();
        var tester = new ChainTester(workspace, options, _pool);
        var cases = new List<CanaryCase>();
        foreach (var testCase in testCases)
        {
            var result = await tester.RunAsync(chain, chainYaml, testCase, cancellationToken);
            var output = "";
            if (result.RunId is { } id)
            {
                var run = RunFolder.Find(workspace.RunsRoot, id);
                if (ChainTester.FinalAgent(run, chain) is { } final)
                    output = await File.ReadAllTextAsync(run.AgentOutput(final), cancellationToken);
            }
            cases.Add(
                new CanaryCase(
                    testCase.Description,
                    result.RunId,
                    result.Status ?? "not run",
                    result.Assertions.Count(a => a.Result.Pass),
                    result.Assertions.Count,
                    output.Length > CanaryRecord.MaxOutput ? output[..CanaryRecord.MaxOutput] : output
                )
            );
        }
        var record = new CanaryRecord($"{now.UtcDateTime:yyyyMMddTHHmmssfff}Z", now, PromptHash(chain), cases);
        var earlier = CanaryRecord.ReadAll(workspace.Root, chain.Name);
        CanaryRecord.Append(workspace.Root, chain.Name, record);
        var baseline = CanaryComparison.BaselineFor(record, earlier, CanaryRecord.Pinned(workspace.Root, chain.Name));
        var comparison = await CompareAsync(chain, record, baseline, cancellationToken);
        if (comparison.DriftAlert(chain.Name, now) is { } alert)
            await RunMonitor.RaiseAsync(
                workspace,
                [alert],
                options.OnWarning,
                options.AlertRetryDelay,
                cancellationToken,
                options.AllowPrivateWebhooks
            );
        return comparison;
    }

    private async Task<CanaryComparison> CompareAsync(
        Chain chain,
        CanaryRecord record,
        CanaryRecord? baseline,
        CancellationToken cancellationToken
    )
    {
        if (baseline is null)
            return new CanaryComparison(record, null, Similarity.LexicalName, []);
        var judge = chain.Canary?.Judge is { } alias
            ? LlmJudge.ForRun(
                _pool,
                workspace,
                alias,
                RunFolder.Find(workspace.RunsRoot, record.Cases.First(c => c.Run is not null).Run!),
                chain.Name
            )
            : null;
        var measure = judge is null ? Similarity.LexicalName : $"judge model '{chain.Canary!.Judge}'";
        var threshold = workspace.Config.Alerts.DriftSimilarity;
        var drifts = new List<CaseDrift>();
        foreach (var now in record.Cases)
        {
            if (baseline.Cases.FirstOrDefault(c => c.Name == now.Name) is not { } before)
                continue; // a new case: nothing to compare it with yet
            var similarity = Similarity.Lexical(before.Output, now.Output);
            if (judge is not null)
            {
                try
                {
                    similarity = (
                        await judge.JudgeAsync(
                            $"The output says the same as this reference output (the same facts, answer and conclusions; wording may differ):\n{before.Output}",
                            now.Output,
                            cancellationToken
                        )
                    ).Score;
                }
                catch (JudgeException e)
                {
                    options.OnWarning?.Invoke(
                        $"canary of '{chain.Name}': {e.Message}; the lexical measure is used for case '{now.Name}'"
                    );
                }
            }
            drifts.Add(
                new CaseDrift(
                    now.Name,
                    similarity,
                    before.PassRate,
                    now.PassRate,
                    before.Output.Length,
                    now.Output.Length,
                    before.Output,
                    now.Output,
                    CanaryComparison.Moves(
                        similarity,
                        before.PassRate,
                        now.PassRate,
                        before.Output.Length,
                        now.Output.Length,
                        threshold
                    )
                )
            );
        }
        return new CanaryComparison(record, baseline, measure, drifts);
    }
}
