using System.Collections.Concurrent;
using System.Text.Json;
using Baton.Costs;
using Baton.Providers;
using Baton.Secrets;
using Microsoft.Extensions.AI;

namespace Baton.Agents;

/// <summary>
/// `prompt:` agents (SPEC §2): render the prompt and system templates, call the provider the
/// agent's `model:` names, write the reply to the output file. For `output: json` the reply must
/// parse (and satisfy `schema:`); an invalid reply is sent back once with what is wrong, then the
/// agent fails with reason `schema`. Every call leaves call-NNN.json and a ledger line.
/// </summary>
public sealed partial class PromptAgent(ProviderOptions? options = null) : IAgentRunner
{
    /// <summary>The engine's default: one pool, so circuit breakers and connections are per process.</summary>
    public static PromptAgent Shared { get; } = new();

    private readonly ProviderPool _pool = new(options ?? new ProviderOptions());
    private readonly ConcurrentDictionary<string, bool> _noticed = new(StringComparer.Ordinal);

    private ProviderOptions Options => _pool.Options;

    /// <summary>The providers this runner calls: an llm-rubric check's judge calls through the same pool (breakers, gates).</summary>
    internal ProviderPool Pool => _pool;

    /// <summary>Where this runner's calls wait for their provider: one gate per endpoint called so far.</summary>
    public IEnumerable<ProviderGate> Gates => _pool.Gates;

    public async Task<AgentResult> RunAsync(AgentContext context, CancellationToken cancellationToken)
    {
        var spec = context.Agent.Prompt!;
        var config = context.Workspace.Config;
        var masker = new SecretMasker();
        ResolvedProvider provider;
        try
        {
            provider = ProviderResolver.Resolve(
                config,
                spec.Model,
                Options.Environment,
                () => Secrets(context),
                out var notice
            );
            if (notice is not null && _noticed.TryAdd(context.Workspace.Root, true))
                context.Warn?.Invoke(notice);
            masker.Add(provider.ApiKey);
            AddWorkspaceSecrets(context, masker);
        }
        catch (ProviderConfigException e)
        {
            return AgentResult.Failed("config", masker.Apply(e.Message));
        }
        if (BudgetProblem(context) is { } overBudget)
            return AgentResult.Failed("budget", overBudget);

        var json = spec.Output == "json";
        var messages = new List<ChatMessage>();
        var system = spec.System is { } s ? context.RenderTemplate(s) : null;
        if (json)
            system = (system is null ? "" : system + "\n\n") + JsonInstruction(spec.Schema);
        if (system is not null)
            messages.Add(new ChatMessage(ChatRole.System, system));
        messages.Add(new ChatMessage(ChatRole.User, context.RenderTemplate(spec.Text)));
        var chatOptions = new ChatOptions { ModelId = provider.Model };
        if (json && provider.Type != "anthropic")
            chatOptions.ResponseFormat = spec.Schema is { } schema
                ? ChatResponseFormat.ForJsonSchema(JsonDocument.Parse(schema).RootElement.Clone(), "reply")
                : ChatResponseFormat.Json;

        using var reservation = ReserveBudget(context, provider, messages, out var refusal);
        if (refusal is not null)
            return AgentResult.Failed("budget", refusal);

        var calls = new CallTotals();
        var client = _pool.ChatClient(provider);
        var gate = _pool.Gate(provider);
        try
        {
            for (var round = 1; ; round++)
            {
                var reply = await CallAsync(
                    context,
                    provider,
                    client,
                    gate,
                    messages,
                    chatOptions,
                    masker,
                    calls,
                    cancellationToken
                );
                if (!json)
                {
                    context.WriteOutput(masker.Apply(reply));
                    return calls.Result(AgentResult.Success(null));
                }
                var unfenced = JsonReply.Unfence(reply);
                var problem = JsonReply.Problem(unfenced, spec.Schema);
                if (problem is null)
                {
                    context.WriteOutput(masker.Apply(unfenced));
                    return calls.Result(AgentResult.Success(null));
                }
                if (round == 2)
                {
                    context.WriteOutput(masker.Apply(reply));
                    return calls.Result(
                        AgentResult.Failed(
                            "schema",
                            masker.Apply(
                                $"{problem} (also after sending the error back once; the last reply is in the output file)"
                            )
                        )
                    );
                }
                messages.Add(new ChatMessage(ChatRole.Assistant, reply));
                messages.Add(
                    new ChatMessage(
                        ChatRole.User,
                        $"That reply is invalid: {problem}. Reply again with only the corrected JSON."
                    )
                );
            }
        }
        catch (Exception e) when (ProviderException.Find(e) is { } failure)
        {
            return calls.Result(AgentResult.Failed(failure.Reason, masker.Apply(failure.Message)));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return calls.Result(AgentResult.Failed("cancelled", "the call to the provider was stopped"));
        }
        catch (Exception e)
            when (e
                    is not (
                        OutOfMemoryException
                        or StackOverflowException
                        or IOException
                        or UnauthorizedAccessException
                    )
            )
        {
            // Whatever else an SDK throws (a body it cannot parse, an unexpected shape) is the provider's reply, not a Baton bug.
            return calls.Result(
                AgentResult.Failed(
                    "provider",
                    masker.Apply(
                        $"provider '{provider.Alias}' sent a reply Baton could not read ({e.GetType().Name}): {e.Message}"
                    )
                )
            );
        }
    }

    private static string JsonInstruction(string? schema) =>
        schema is null
            ? "Reply with a single JSON value only: no prose, no code fences."
            : $"Reply with a single JSON value only: no prose, no code fences. It must satisfy this JSON Schema:\n{schema}";

    private SecretStore Secrets(AgentContext context) =>
        new(context.Workspace.Root, context.Workspace.MasterKeyPath ?? Options.MasterKeyPath);

    /// <summary>Every workspace secret is masked in what this agent writes, not only the key it used.</summary>
    private void AddWorkspaceSecrets(AgentContext context, SecretMasker masker)
    {
        // Looked for before the store is made: most workspaces have none, and the store's constructor resolves
        // the master key's path from the environment and the home folder on every call.
        if (!File.Exists(Path.Combine(context.Workspace.Root, SecretStore.RelativeFile)))
            return;
        try
        {
            foreach (var value in Secrets(context).AllValues())
                masker.Add(value);
        }
        catch (SecretStoreException)
        { /* unreadable secrets cannot leak through this agent either */
        }
    }

    /// <summary>The worst case of this agent's call(s) (a JSON retry may double it), held until they are priced.</summary>
    private static IDisposable? ReserveBudget(
        AgentContext context,
        ResolvedProvider provider,
        List<ChatMessage> messages,
        out string? refusal
    )
    {
        refusal = null;
        if (context.Workspace.Config.Budget is not { MonthlyUsd: var budget } || provider.Type == "offline")
            return null;
        var price = new PriceTable(context.Workspace.Config.Prices).Find(provider.Model);
        if (price is null)
            return null; // unpriced models cost nothing in the ledger either (marked priced: false)
        var promptTokens = messages.Sum(m => TokenCounter.Count(m.Text));
        var rounds = context.Agent.Prompt!.Output == "json" ? 2 : 1;
        var worst = price.Cost(new TokenUsage(promptTokens, BudgetReservations.WorstCaseOutputTokens)) * rounds;
        var spent = CostReport.MonthToDate(context.Workspace.RunsRoot, context.Time.GetUtcNow());
        return BudgetReservations.TryReserve(context.Workspace.Root, budget, spent, worst, out refusal);
    }

    /// <summary>SPEC §6: a call that would start past 100 % of the monthly budget is refused; 80 % is said once.</summary>
    private string? BudgetProblem(AgentContext context)
    {
        if (context.Workspace.Config.Budget is not { MonthlyUsd: var budget })
            return null;
        var spent = CostReport.MonthToDate(context.Workspace.RunsRoot, context.Time.GetUtcNow());
        if (spent >= budget)
            return $"the workspace's monthly budget of ${budget:0.##} is used up (${spent:0.####} spent this month); new LLM calls are refused until next month or until budget.monthly_usd in baton.yaml is raised";
        var month = context.Time.GetUtcNow().ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        if (spent >= budget * 0.8m && BudgetAlert.Claim(context.Workspace.Root, month))
            BudgetAlert.Raise(context, spent, budget);
        return null;
    }

    /// <summary>The cost and tokens of an attempt's calls so far, carried into its done/failed event.</summary>
    private sealed class CallTotals
    {
        public int Calls { get; set; }
        public decimal Usd { get; set; }
        public TokenUsage Tokens { get; set; } = TokenUsage.Zero;

        public AgentResult Result(AgentResult result) => result with { CostUsd = Usd, Tokens = Tokens };
    }
}
