using System.Diagnostics;
using Baton.Agents;
using Baton.Costs;
using Baton.Providers;

namespace Baton.Telemetry;

/// <summary>
/// One LLM call's span (`chat {model}`, a child of its agent's span) and its GenAI metrics. Attributes
/// carry names, counts and hashes, never prompt or reply text: that stays in call-NNN.json, masked.
/// </summary>
internal sealed class LlmCallTelemetry
{
    private readonly Activity? _span;
    private readonly KeyValuePair<string, object?>[] _tags;

    public LlmCallTelemetry(AgentContext context, ResolvedProvider provider)
    {
        _tags =
        [
            new("gen_ai.operation.name", "chat"),
            new("gen_ai.provider.name", provider.Type),
            new("gen_ai.request.model", provider.Model),
            new("baton.provider", provider.Alias),
        ];
        _span = BatonTelemetry.Source.StartActivity($"chat {provider.Model}", ActivityKind.Client);
        if (_span is null)
            return;
        foreach (var tag in _tags)
            _span.SetTag(tag.Key, tag.Value);
        _span.SetTag("gen_ai.system", provider.Type); // the name before gen_ai.provider.name, still read by many backends
        _span.SetTag("baton.workspace", Path.GetFileName(context.Workspace.Root));
        _span.SetTag("baton.run.id", context.Run.Id);
        _span.SetTag("baton.agent", context.Agent.Name);
        _span.SetTag("baton.prompt.sha256", PromptSha256(context.Agent.Prompt!)); // hashed only for a span that is recorded
    }

    /// <summary>The agent's prompt as written (system and prompt templates, before rendering): the same hash means the same prompt version, so a change in replies under it is the model's.</summary>
    private static string PromptSha256(Chains.PromptSpec spec) =>
        Convert.ToHexStringLower(
            System.Security.Cryptography.SHA256.HashData(
                System.Text.Encoding.UTF8.GetBytes($"{spec.System}\n\0\n{spec.Text}")
            )
        );

    public void Finish(string outcome, TimeSpan duration, TimeSpan? firstChunk, CostEntry? entry)
    {
        var failed = outcome != Health.CallOutcome.Ok;
        if (BatonMetrics.Enabled)
            Record(failed ? [.. _tags, new("error.type", outcome)] : _tags, duration, firstChunk, entry);
        if (_span is null)
            return;
        if (entry is not null)
        {
            _span.SetTag("gen_ai.usage.input_tokens", entry.Usage.InputTokens);
            _span.SetTag("gen_ai.usage.output_tokens", entry.Usage.OutputTokens);
            _span.SetTag("baton.cost_usd", (double)entry.Usd);
        }
        if (failed)
        {
            _span.SetTag("error.type", outcome);
            _span.SetStatus(ActivityStatusCode.Error, outcome);
        }
        _span.Dispose();
    }

    private void Record(KeyValuePair<string, object?>[] tags, TimeSpan duration, TimeSpan? firstChunk, CostEntry? entry)
    {
        BatonMetrics.Instruments.OperationDuration.Record(duration.TotalSeconds, tags);
        if (firstChunk is { } first)
            BatonMetrics.Instruments.TimeToFirstChunk.Record(first.TotalSeconds, _tags);
        if (entry is null)
            return;
        BatonMetrics.Instruments.TokenUsage.Record(
            entry.Usage.InputTokens,
            [.. _tags, new("gen_ai.token.type", "input")]
        );
        BatonMetrics.Instruments.TokenUsage.Record(
            entry.Usage.OutputTokens,
            [.. _tags, new("gen_ai.token.type", "output")]
        );
    }

    /// <summary>Each HTTP attempt, counted by its outcome class (a 429 that a retry got past still counts as a 429).</summary>
    public void CountAttempts(IEnumerable<CallAttempt> attempts)
    {
        if (!BatonMetrics.Enabled)
            return;
        foreach (var attempt in attempts)
            BatonMetrics.Instruments.Attempts.Add(1, [.. _tags, new("outcome", Health.CallOutcome.Of(attempt))]);
    }
}
