using System.Diagnostics;
using Baton.Assertions;
using Baton.Chains;
using Baton.Costs;
using Baton.Events;
using Baton.Providers;
using Baton.Runs;
using Baton.Secrets;
using Baton.Workspaces;

namespace Baton.Testing;

/// <summary>
/// `baton test`: each case is a real run of the chain (in runs/, like any other) with the case's
/// vars as inputs; decisions are answered from the case; then its assertions are checked against
/// the outputs the run left. An assertion names an agent, or checks the final output: that of the
/// last agent in chain order that wrote one. cost and latency are the run's (the agent's when named).
/// </summary>
public sealed class ChainTester(Workspace workspace, EngineOptions options, ProviderPool judges) : IDisposable
{
    // A case answering `changes` could loop for ever; a test has no person to break the loop.
    private const int MaxDecisionRounds = 10;

    public void Dispose() => judges.Dispose();

    public async Task<CaseResult> RunAsync(
        Chain chain,
        string chainYaml,
        TestCase testCase,
        CancellationToken cancellationToken = default
    )
    {
        var clock = Stopwatch.StartNew();
        RunFolder run;
        try
        {
            run = await RunCreator.CreateAsync(
                workspace,
                chain,
                chainYaml,
                testCase.Vars,
                GroupCommitter.Shared,
                cancellationToken
            );
        }
        catch (InputException e)
        {
            return new CaseResult(testCase, null, null, $"vars: {e.Message}", [], clock.Elapsed);
        }
        var engine = new RunEngine(workspace, options);
        var outcome = await engine.RunAsync(run, cancellationToken);
        for (var round = 0; outcome.Status == RunStatus.Waiting; round++)
        {
            var waiting = RunSummary
                .Load(run)
                .Agents.Where(a => a.Value.Status == AgentStatus.Waiting)
                .Select(a => a.Key)
                .ToList();
            var unanswered = waiting.FirstOrDefault(name => !testCase.Decisions.ContainsKey(name));
            if (unanswered is not null || round == MaxDecisionRounds)
            {
                await InboxWriter.WriteAsync(run.Inbox, new RunCancel("baton test"));
                await engine.RunAsync(run, cancellationToken);
                var problem = unanswered is not null
                    ? $"decision '{unanswered}' is waiting and the case does not answer it: add decisions: {{{unanswered}: approve}} (or reject, changes)"
                    : $"decisions were still asked after {MaxDecisionRounds} rounds of answers";
                return new CaseResult(testCase, run.Id, RunStatus.Cancelled.Wire(), problem, [], clock.Elapsed);
            }
            foreach (var name in waiting)
                await DecisionInbox.WriteAsync(
                    run,
                    DecisionInbox.Prepare(
                        run,
                        name,
                        testCase.Decisions[name],
                        "answered by the test case",
                        "baton test",
                        Answerer.Reviewer
                    )
                );
            outcome = await engine.RunAsync(run, cancellationToken);
        }
        var summary = RunSummary.Load(run);
        var checks = new List<AssertionOutcome>();
        foreach (var assertion in testCase.Assertions)
            checks.Add(await CheckAsync(run, chain, summary, assertion, cancellationToken));
        var failed = outcome.Status == RunStatus.Failed ? $"the run failed: {outcome.Reason}" : null;
        return new CaseResult(testCase, run.Id, outcome.Status.Wire(), failed, checks, clock.Elapsed);
    }

    private async Task<AssertionOutcome> CheckAsync(
        RunFolder run,
        Chain chain,
        RunSummary summary,
        Assertion assertion,
        CancellationToken cancellationToken
    )
    {
        var agent = assertion.Agent ?? FinalAgent(run, chain);
        if (agent is null || !summary.Agents.TryGetValue(agent, out var state))
        {
            var why = agent is null ? "no agent of the run wrote an output" : $"the chain has no agent '{agent}'";
            return new AssertionOutcome(assertion, agent ?? "(final)", AssertionEvaluator.Unusable(why));
        }
        var output = run.AgentOutput(agent);
        if (!File.Exists(output))
            return new AssertionOutcome(
                assertion,
                agent,
                AssertionEvaluator.Unusable(
                    $"agent '{agent}' wrote no output (it is {state.Status.Wire()}{(state.Reason is { } r ? $": {r}" : "")})"
                )
            );
        var named = assertion.Agent is not null;
        var (started, finished) = named ? (state.Started, state.Finished) : (summary.Started, summary.Finished);
        var subject = new AssertionSubject(
            await File.ReadAllTextAsync(output, cancellationToken),
            named ? state.CostUsd : summary.CostUsd,
            started is { } s && finished is { } f ? (f - s).TotalMilliseconds : null
        );
        if (assertion.Kind == AssertionKind.LlmRubric && BudgetUsedUp() is { } refusal)
            return new AssertionOutcome(assertion, agent, AssertionEvaluator.Unusable(refusal));
        var judge = assertion.Kind == AssertionKind.LlmRubric ? Judge(assertion.Provider, run, chain) : null;
        return new AssertionOutcome(
            assertion,
            agent,
            await AssertionEvaluator.EvaluateAsync(assertion, subject, judge, cancellationToken)
        );
    }

    private LlmJudge Judge(string? model, RunFolder run, Chain chain) =>
        LlmJudge.ForRun(judges, workspace, model, run, chain.Name);

    /// <summary>The judge's calls' name in a run's cost ledger.</summary>
    public const string JudgeAgent = LlmJudge.LedgerAgent;

    private string? BudgetUsedUp()
    {
        if (workspace.Config.Budget is not { MonthlyUsd: var budget })
            return null;
        var spent = CostReport.MonthToDate(workspace.RunsRoot, DateTimeOffset.UtcNow);
        return spent >= budget
            ? $"the workspace's monthly budget of ${budget:0.##} is used up; the judge was not asked"
            : null;
    }

    /// <summary>The agent whose output is the run's final one: the last in chain order that wrote one.</summary>
    public static string? FinalAgent(RunFolder run, Chain chain) =>
        chain.Agents.LastOrDefault(a => File.Exists(run.AgentOutput(a.Name)))?.Name;
}
