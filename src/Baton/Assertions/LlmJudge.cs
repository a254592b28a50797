using System.Globalization;
using System.Text.Json;
using Baton.Agents;
using Baton.Costs;
using Baton.Providers;
using Baton.Runs;
using Baton.Secrets;
using Baton.Workspaces;
using Microsoft.Extensions.AI;

namespace Baton.Assertions;

/// <summary>
/// llm-rubric's judge: a model alias of baton.yaml asked, with promptfoo's grading instructions,
/// whether the output satisfies the rubric, answering {"reason", "pass", "score"}. The alias is
/// the assertion's `provider:`, else `judge` when baton.yaml defines it, else `default`.
/// </summary>
/// <param name="workspace">Whose turn at the provider's fair gate the judge's calls take.</param>
public sealed class LlmJudge(
    ProviderPool pool,
    WorkspaceConfig config,
    string modelSpec,
    Func<SecretStore> secrets,
    string workspace
) : IJudge
{
    public const string JudgeAlias = "judge";

    /// <summary>Told of every answered call with what it used, so the caller can put it in a cost ledger (judging costs money too).</summary>
    public Action<ResolvedProvider, TokenUsage>? OnCall { get; init; }

    /// <summary>The judge model a workspace uses when an assertion names none.</summary>
    public static string DefaultModel(WorkspaceConfig config) =>
        config.Providers.ContainsKey(JudgeAlias) ? JudgeAlias : ProviderResolver.DefaultAlias;

    /// <summary>The judge's calls' name in a run's cost ledger; not a valid agent name, so no agent's calls are mixed in.</summary>
    public const string LedgerAgent = "(judge)";

    /// <summary>A judge whose answered calls go into the run's cost ledger as agent `(judge)`, so `baton costs` and the budget count them.</summary>
    public static LlmJudge ForRun(ProviderPool pool, Workspace workspace, string? model, RunFolder run, string chain) =>
        new(
            pool,
            workspace.Config,
            model ?? DefaultModel(workspace.Config),
            () => new SecretStore(workspace.Root, workspace.MasterKeyPath ?? pool.Options.MasterKeyPath),
            workspace.Root
        )
        {
            OnCall = (provider, usage) =>
            {
                var price = new PriceTable(workspace.Config.Prices).Find(
                    provider.Type == "offline" ? "offline" : provider.Model
                );
                var call = CostLedger.Read(run.Path).Count(e => e.Agent == LedgerAgent) + 1;
                CostLedger.Append(
                    run.Path,
                    new CostEntry(
                        DateTimeOffset.UtcNow,
                        Path.GetFileName(workspace.Root),
                        chain,
                        run.Id,
                        LedgerAgent,
                        1,
                        call,
                        provider.Alias,
                        provider.Model,
                        usage,
                        price?.Cost(usage) ?? 0m,
                        price is not null
                    )
                );
            },
        };

    private const string Instructions = """
        You are grading output according to a user-specified rubric. If the statement in the rubric is true, then the output passes the test. You respond with a JSON object with this structure: {"reason": string, "pass": boolean, "score": number between 0.0 and 1.0}. Reply with the JSON object only.
        """;

    public async Task<JudgeVerdict> JudgeAsync(string rubric, string output, CancellationToken cancellationToken)
    {
        ResolvedProvider provider;
        try
        {
            provider = ProviderResolver.Resolve(config, modelSpec, pool.Options.Environment, secrets, out _);
        }
        catch (ProviderConfigException e)
        {
            throw new JudgeException($"judge model '{modelSpec}': {e.Message}", e);
        }
        var messages = new List<ChatMessage>
        {
            new(ChatRole.System, Instructions),
            new(ChatRole.User, $"<Output>\n{output}\n</Output>\n<Rubric>\n{rubric}\n</Rubric>"),
        };
        var options = new ChatOptions
        {
            ModelId = provider.Model,
            ResponseFormat = provider.Type == "anthropic" ? null : ChatResponseFormat.Json,
        };
        string reply;
        try
        {
            var gate = pool.Gate(provider);
            using var turn = gate is null ? null : await gate.EnterAsync(workspace, cancellationToken);
            var response = await pool.ChatClient(provider).GetResponseAsync(messages, options, cancellationToken);
            reply = response.Text;
            OnCall?.Invoke(provider, Usage(response.Usage, messages, reply));
        }
        catch (Exception e) when (ProviderException.Find(e) is { } failure)
        {
            throw new JudgeException($"judge model '{modelSpec}' failed ({failure.Reason}): {failure.Message}", e);
        }
        return Parse(reply, modelSpec);
    }

    /// <summary>As the provider reported it, else estimated (and marked so), as for prompt agents.</summary>
    private static TokenUsage Usage(UsageDetails? usage, List<ChatMessage> messages, string reply) =>
        usage is { InputTokenCount: not null } or { OutputTokenCount: not null }
            ? new TokenUsage(usage.InputTokenCount ?? 0, usage.OutputTokenCount ?? 0, usage.CachedInputTokenCount ?? 0)
            : new TokenUsage(
                messages.Sum(m => TokenCounter.Estimate(m.Text)),
                TokenCounter.Estimate(reply),
                Estimated: true
            );

    /// <summary>A reply missing `score` scores 1 or 0 by `pass`; one missing `pass` passes at score ≥ 0.5.</summary>
    internal static JudgeVerdict Parse(string reply, string modelSpec)
    {
        try
        {
            using var document = JsonDocument.Parse(JsonReply.Unfence(reply));
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new JsonException("not an object");
            double? score = root.TryGetProperty("score", out var s) ? Number(s) : null;
            bool? pass =
                root.TryGetProperty("pass", out var p) && p.ValueKind is JsonValueKind.True or JsonValueKind.False
                    ? p.GetBoolean()
                    : null;
            if (score is null && pass is null)
                throw new JsonException("neither 'pass' nor 'score'");
            var reason =
                root.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String
                    ? r.GetString()!
                    : "(no reason given)";
            var finalScore = Math.Clamp(score ?? (pass == true ? 1 : 0), 0, 1);
            return new JudgeVerdict(pass ?? finalScore >= 0.5, finalScore, reason);
        }
        catch (JsonException e)
        {
            var shown = reply.Length > 200 ? reply[..200] + "…" : reply;
            throw new JudgeException(
                $"judge model '{modelSpec}' replied with no usable verdict ({e.Message}): {shown}",
                e
            );
        }
    }

    private static double? Number(JsonElement value) =>
        value.ValueKind switch
        {
            JsonValueKind.Number => value.GetDouble(),
            JsonValueKind.String when double.TryParse(value.GetString(), CultureInfo.InvariantCulture, out var d) => d,
            _ => null,
        };
}
