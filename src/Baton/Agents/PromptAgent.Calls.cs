using System.Diagnostics;
using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Baton.Costs;
using Baton.Health;
using Baton.Providers;
using Baton.Secrets;
using Baton.Telemetry;
using Microsoft.Extensions.AI;

namespace Baton.Agents;

public sealed partial class PromptAgent
{
    /// <summary>One LLM call: stream (or not) the reply, then record it in call-NNN.json and the ledger, even when it failed.</summary>
    private async Task<string> CallAsync(
        AgentContext context,
        ResolvedProvider provider,
        IChatClient client,
        ProviderGate? gate,
        List<ChatMessage> messages,
        ChatOptions chatOptions,
        SecretMasker masker,
        CallTotals totals,
        CancellationToken cancellationToken
    )
    {
        // Held until the reply is read (and recorded), not for the agent's whole life: the agent itself holds no slot.
        using var turn = gate is null ? null : await gate.EnterAsync(context.Workspace.Root, cancellationToken);
        var number = ++totals.Calls;
        var recorder = new CallRecorder(Options.MaxRecordedBytes);
        var started = Options.Time.GetUtcNow();
        var clock = Stopwatch.StartNew();
        var telemetry = new LlmCallTelemetry(context, provider);
        TimeSpan? firstChunk = null;
        ChatResponse? response = null;
        ExceptionDispatchInfo? failure = null;
        using (recorder.Activate())
        {
            try
            {
                if (provider.Stream)
                {
                    var updates = new List<ChatResponseUpdate>();
                    try
                    {
                        await foreach (
                            var update in client.GetStreamingResponseAsync(messages, chatOptions, cancellationToken)
                        )
                        {
                            updates.Add(update);
                            if (firstChunk is null && update.Text is { Length: > 0 })
                                firstChunk = clock.Elapsed;
                            if (context.Progress is { } progress && update.Text is { Length: > 0 } text)
                                progress(masker.Apply(text));
                        }
                    }
                    catch (Exception e)
                        when (ProviderException.Find(e) is null
                            && !cancellationToken.IsCancellationRequested
                            && !UnreadableReply.IsStream(recorder)
                        )
                    {
                        throw UnreadableReply.Exception(provider, recorder, streaming: true, e);
                    }
                    if (!UnreadableReply.HasReply(updates))
                        throw UnreadableReply.Exception(provider, recorder, streaming: true);
                    response = updates.ToChatResponse();
                }
                else
                {
                    response = await client.GetResponseAsync(messages, chatOptions, cancellationToken);
                    if (!UnreadableReply.HasReply(response))
                        throw UnreadableReply.Exception(provider, recorder, streaming: false);
                }
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
        }
        var reply = response?.Text ?? "";
        CostEntry? entry = null;
        if (response is not null)
        {
            var price = new PriceTable(context.Workspace.Config.Prices).Find(
                provider.Type == "offline" ? "offline" : provider.Model
            );
            var usage = Usage(response.Usage, messages, reply, priced: price is not null);
            var usd = price?.Cost(usage) ?? 0m;
            entry = new CostEntry(
                started,
                Path.GetFileName(context.Workspace.Root),
                context.Chain.Name,
                context.Run.Id,
                context.Agent.Name,
                context.Attempt,
                number,
                provider.Alias,
                provider.Model,
                usage,
                usd,
                price is not null
            );
            CostLedger.Append(context.Run.Path, entry);
            totals.Usd += usd;
            totals.Tokens = totals.Tokens.Add(usage);
        }
        (string Reason, string Message)? error =
            failure is null ? null
            : ProviderException.Find(failure.SourceException) is { } p ? (p.Reason, p.Message)
            : ("provider", failure.SourceException.Message);
        var duration = clock.Elapsed;
        var outcome = CallOutcome.Of(recorder, failed: failure is not null);
        telemetry.CountAttempts(recorder.Attempts.ToList());
        telemetry.Finish(outcome, duration, firstChunk, entry);
        try
        {
            CallHealth.Append(
                context.Workspace.Root,
                new CallHealth(
                    started,
                    context.Run.Id,
                    context.Chain.Name,
                    context.Agent.Name,
                    provider.Alias,
                    provider.Model,
                    outcome,
                    (long)duration.TotalMilliseconds,
                    firstChunk is { } first ? (long)first.TotalMilliseconds : null,
                    entry?.Usage.OutputTokens ?? 0,
                    [.. recorder.Attempts.ToList().Select(CallOutcome.Of)],
                    recorder.CircuitOpened
                )
            );
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Runs.UnsafePathException)
        {
            context.Warn?.Invoke($"health record of this call not written: {e.Message}"); // monitoring never fails a call
        }
        WriteCall(
            context,
            new CallRecord.Call(number, provider, started, clock.ElapsedMilliseconds, reply, entry, error),
            recorder,
            masker
        );
        failure?.Throw();
        return reply;
    }

    /// <summary>
    /// Usage as the provider reported it; when it reported none, counted and marked estimated —
    /// with o200k when the count is priced, else with the free estimate (no tokenizer to load).
    /// </summary>
    private static TokenUsage Usage(UsageDetails? usage, IEnumerable<ChatMessage> messages, string reply, bool priced)
    {
        if (usage is { } u && (u.InputTokenCount is not null || u.OutputTokenCount is not null))
            return new TokenUsage(
                u.InputTokenCount ?? 0,
                u.OutputTokenCount ?? 0,
                u.CachedInputTokenCount ?? 0,
                u.ReasoningTokenCount ?? 0
            );
        Func<string?, int> count = priced ? TokenCounter.Count : TokenCounter.Estimate;
        return new TokenUsage(messages.Sum(m => count(m.Text)), count(reply), Estimated: true);
    }

    /// <summary>
    /// Written whatever happened to the call (a cancelled one included), never fsync'd: the agent's durable
    /// done/failed event carries its cost. Beside the output, in the agent's folder (an earlier attempt's records move
    /// with its other files to attempts/N/).
    /// </summary>
    private static void WriteCall(
        AgentContext context,
        CallRecord.Call call,
        CallRecorder recorder,
        SecretMasker masker
    )
    {
        using var scratch = ScratchJson.Rent(CallRecord.Format);
        var bytes = CallRecord.Write(call, recorder, masker, scratch);
        var path = Path.Combine(context.AgentDir, CallRecord.FileName(call.Number));
        try
        {
            Libc.CreateAndWrite(path, bytes).Dispose();
        }
        catch (IOException e) when (e.HResult == Libc.ENOENT)
        {
            Directory.CreateDirectory(context.AgentDir); // a judge's or a test's context, not a run's agent
            Libc.CreateAndWrite(path, bytes).Dispose();
        }
    }
}
