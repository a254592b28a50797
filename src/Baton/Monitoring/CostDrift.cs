using System.Globalization;
using Baton.Runs;
using Baton.Workspaces;

namespace Baton.Monitoring;

/// <summary>
/// Cost per run over time, per chain (docs/monitoring.md). Baseline: the median of the last
/// `alerts.baseline_runs` successful runs before this one (at least 3). Trend: the mean cost per successful
/// run of the last 7 days against the 7 before (at least 3 runs in each). Every alert names the agent that
/// grew most and what grew in it: the model (changed), prompt_tokens, output_tokens or retries.
/// </summary>
public static class CostDrift
{
    public const int MinimumRuns = 3;
    public static readonly TimeSpan TrendSpan = TimeSpan.FromDays(7);

    /// <param name="before">The chain's earlier runs, oldest first (RunCost.History); runs without LLM calls say nothing about cost and are skipped.</param>
    /// <param name="trend">Whether to look at the 7-day trend too: a walk over every kept run, so a busy server does it once a minute (RunMonitor).</param>
    public static List<Alert> Evaluate(
        string chain,
        RunCost run,
        IReadOnlyList<RunCost> before,
        WorkspaceAlerts thresholds,
        DateTimeOffset now,
        bool trend = true
    )
    {
        var alerts = new List<Alert>();
        if (run.Status != Runs.RunStatus.Succeeded.Wire())
            return alerts;
        var baseline = LastSuccessful(before, thresholds.BaselineRuns);
        if (baseline.Count >= MinimumRuns)
        {
            var spike = Spike(chain, run, baseline, thresholds, now);
            if (spike is not null)
                alerts.Add(spike);
            else
            {
                // Tokens and retries can grow while the cost does not (yet): a cheaper model, a free tier.
                alerts.AddRange(Growth(chain, run, baseline, thresholds, now));
            }
        }
        if (!trend)
            return alerts;
        var successful = before.Where(Counts).ToList();
        var recent = successful.Append(run).Where(r => r.Time > now - TrendSpan).ToList();
        var previous = successful.Where(r => r.Time <= now - TrendSpan && r.Time > now - 2 * TrendSpan).ToList();
        if (recent.Count >= MinimumRuns && previous.Count >= MinimumRuns)
        {
            var (was, @is) = (previous.Average(r => r.Usd), recent.Average(r => r.Usd));
            if (was > 0 && @is > was * (1 + thresholds.CostTrend))
            {
                var (agent, factor, detail) = WhatGrew(AverageRun(recent), previous);
                alerts.Add(
                    new Alert(
                        now,
                        "cost_trend",
                        F(
                            $"chain '{chain}': cost per run rose {(@is / was - 1):P0} over 7 days (${@is:0.######} vs ${was:0.######} the 7 days before; threshold {thresholds.CostTrend:P0}); agent '{agent}' grew most: {detail}"
                        )
                    )
                    {
                        Chain = chain,
                        Run = run.Run,
                        Agent = agent,
                        Factor = factor,
                        Value = @is,
                        Baseline = was,
                    }
                );
            }
        }
        return alerts;
    }

    private static bool Counts(RunCost r) => r.Agents.Count > 0 && r.Status == Runs.RunStatus.Succeeded.Wire();

    /// <summary>The last <paramref name="count"/> successful runs with LLM calls, oldest first: walked from the end, not over the whole history.</summary>
    private static List<RunCost> LastSuccessful(IReadOnlyList<RunCost> runs, int count)
    {
        var last = new List<RunCost>(Math.Min(count, runs.Count));
        for (var i = runs.Count - 1; i >= 0 && last.Count < count; i--)
            if (Counts(runs[i]))
                last.Add(runs[i]);
        last.Reverse();
        return last;
    }

    private static Alert? Spike(
        string chain,
        RunCost run,
        List<RunCost> baseline,
        WorkspaceAlerts thresholds,
        DateTimeOffset now
    )
    {
        var median = Median(baseline.Select(r => r.Usd));
        if (median <= 0 || run.Usd <= thresholds.CostSpike * median)
            return null;
        var (agent, factor, detail) = WhatGrew(run, baseline);
        return new Alert(
            now,
            "cost_spike",
            F(
                $"chain '{chain}': run {run.Run} cost ${run.Usd:0.######}, {run.Usd / median:0.#}× its baseline ${median:0.######} (median of the last {baseline.Count} successful runs; threshold {thresholds.CostSpike:0.#}×); agent '{agent}' grew most: {detail}"
            )
        )
        {
            Chain = chain,
            Run = run.Run,
            Agent = agent,
            Factor = factor,
            Value = run.Usd,
            Baseline = median,
        };
    }

    private static IEnumerable<Alert> Growth(
        string chain,
        RunCost run,
        List<RunCost> baseline,
        WorkspaceAlerts thresholds,
        DateTimeOffset now
    )
    {
        var prompt = Median(baseline.Select(r => (double)r.InputTokens));
        if (prompt > 0 && run.InputTokens > thresholds.CostSpike * prompt)
        {
            var agent = run.Agents.MaxBy(a => a.InputTokens - AgentMedian(baseline, a.Agent, x => x.InputTokens))!;
            yield return new Alert(
                now,
                "prompt_tokens_spike",
                F(
                    $"chain '{chain}': run {run.Run} sent {run.InputTokens} prompt tokens, {run.InputTokens / prompt:0.#}× its baseline {prompt:0}; agent '{agent.Agent}' grew most"
                )
            )
            {
                Chain = chain,
                Run = run.Run,
                Agent = agent.Agent,
                Factor = "prompt_tokens",
                Value = run.InputTokens,
                Baseline = prompt,
            };
        }
        var retries = Median(baseline.Select(r => (double)r.Retries));
        if (run.Retries > thresholds.CostSpike * Math.Max(1, retries))
        {
            var agent = run.Agents.MaxBy(a => a.Retries)!;
            yield return new Alert(
                now,
                "retries_spike",
                F(
                    $"chain '{chain}': run {run.Run} needed {run.Retries} retries (baseline {retries:0.#}); agent '{agent.Agent}' retried most ({agent.Retries})"
                )
            )
            {
                Chain = chain,
                Run = run.Run,
                Agent = agent.Agent,
                Factor = "retries",
                Value = run.Retries,
                Baseline = retries,
            };
        }
    }

    /// <summary>The agent whose cost grew most against the baseline runs, and which of its factors explains it.</summary>
    private static (string Agent, string Factor, string Detail) WhatGrew(RunCost run, IReadOnlyList<RunCost> baseline)
    {
        var agent = run.Agents.MaxBy(a => a.Usd - AgentMedian(baseline, a.Agent, x => x.Usd))!;
        var models = baseline
            .SelectMany(r => r.Agents.Where(a => a.Agent == agent.Agent).Select(a => a.Model))
            .GroupBy(m => m)
            .OrderByDescending(g => g.Count())
            .Select(g => g.Key)
            .FirstOrDefault();
        if (models is not null && models != agent.Model)
            return (agent.Agent, "model", $"its model changed from {models} to {agent.Model}");
        var input = AgentMedian(baseline, agent.Agent, a => a.InputTokens);
        var output = AgentMedian(baseline, agent.Agent, a => a.OutputTokens);
        var retries = AgentMedian(baseline, agent.Agent, a => a.Retries);
        var growth = new List<(string Factor, double Ratio, string Detail)>
        {
            ("prompt_tokens", Ratio(agent.InputTokens, input), F($"prompt tokens {agent.InputTokens} vs {input:0}")),
            (
                "output_tokens",
                Ratio(agent.OutputTokens, output),
                F($"output tokens {agent.OutputTokens} vs {output:0}")
            ),
            ("retries", Ratio(agent.Retries + 1, retries + 1), F($"retries {agent.Retries} vs {retries:0.#}")),
        };
        var (factor, ratio, detail) = growth.MaxBy(g => g.Ratio);
        return (agent.Agent, factor, F($"{factor.Replace('_', ' ')} {ratio:0.#}× ({detail})"));
    }

    private static RunCost AverageRun(IReadOnlyList<RunCost> runs) =>
        new(
            runs[^1].Time,
            runs[^1].Run,
            runs[^1].Status,
            [
                .. runs.SelectMany(r => r.Agents)
                    .GroupBy(a => a.Agent, StringComparer.Ordinal)
                    .Select(g => new AgentCost(
                        g.Key,
                        g.Sum(a => a.Usd) / runs.Count,
                        g.Sum(a => a.InputTokens) / runs.Count,
                        g.Sum(a => a.OutputTokens) / runs.Count,
                        g.Sum(a => a.Retries) / runs.Count,
                        g.Last().Model
                    )),
            ]
        );

    private static double AgentMedian(IEnumerable<RunCost> runs, string agent, Func<AgentCost, double> value) =>
        Median(runs.Select(r => r.Agents.FirstOrDefault(a => a.Agent == agent) is { } a ? value(a) : 0));

    private static double Ratio(double now, double before) =>
        before <= 0 ? (now > 0 ? double.PositiveInfinity : 1) : now / before;

    internal static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0)
            return 0;
        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
