using System.Text.Json.Serialization;
using Baton.Costs;
using Baton.Health;
using Baton.Monitoring;
using Baton.Runs;
using Baton.Workspaces;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Baton.Server.Api;

/// <summary>A workspace the caller may open (GET /api/workspaces).</summary>
public sealed record WorkspaceEntry(string Name, string Role);

/// <summary>
/// Every body the HTTP API reads or answers, generated at build time: the published `baton` is compiled ahead of
/// time, where System.Text.Json cannot reflect over a type it was not told of. An endpoint answers one of these
/// exact types (a List, never a lazy IEnumerable or an anonymous object), since the answer is looked up by the
/// value's own type. Names are snake_case as the API has always written them.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
// what clients send
[JsonSerializable(typeof(SessionApi.LoginRequest))]
[JsonSerializable(typeof(RunsApi.StartRequest))]
[JsonSerializable(typeof(PromptVersionsApi.MarkRequest))]
[JsonSerializable(typeof(PromotionsApi.DecideRequest), TypeInfoPropertyName = "PromotionDecideRequest")]
[JsonSerializable(typeof(DecisionsApi.DecideRequest))]
[JsonSerializable(typeof(TokensApi.CreateRequest))]
// what the API answers
[JsonSerializable(typeof(SessionApi.SessionAnswer))]
[JsonSerializable(typeof(SessionApi.LoginAnswer))]
[JsonSerializable(typeof(List<WorkspaceEntry>))]
[JsonSerializable(typeof(RunsApi.Started))]
[JsonSerializable(typeof(RunsApi.Cancelling))]
[JsonSerializable(typeof(RunSummary))]
[JsonSerializable(typeof(List<RunSummary>))]
[JsonSerializable(typeof(RunDetailsApi.Details))]
[JsonSerializable(typeof(ChainsApi.ChainSummary))]
[JsonSerializable(typeof(List<ChainsApi.ChainSummary>))]
[JsonSerializable(typeof(ChainsApi.ChainStaged))]
[JsonSerializable(typeof(List<ChainsApi.ErrorAt>))]
[JsonSerializable(typeof(PromptsApi.PromptSaved))]
[JsonSerializable(typeof(List<PromptsApi.PromptFile>))]
[JsonSerializable(typeof(PromptVersionsApi.MarkAnswer))]
[JsonSerializable(typeof(PromotionsApi.PromotionAnswer))]
[JsonSerializable(typeof(List<PromotionsApi.PromotionAnswer>))]
[JsonSerializable(typeof(PromotionsApi.StagingAnswer))]
[JsonSerializable(typeof(PromotionsApi.RolledBackAnswer))]
[JsonSerializable(typeof(DecisionsApi.Answered))]
[JsonSerializable(typeof(DecisionsApi.Count))]
[JsonSerializable(typeof(List<DecisionsApi.Card>))]
[JsonSerializable(typeof(List<TokensApi.TokenAnswer>))]
[JsonSerializable(typeof(TokensApi.TokenCreated))]
[JsonSerializable(typeof(List<CostRow>))]
[JsonSerializable(typeof(WorkspaceAdminApi.ConfigSaved))]
[JsonSerializable(typeof(List<AuditLog.Entry>))]
[JsonSerializable(typeof(HealthReport))]
[JsonSerializable(typeof(List<Alert>))]
[JsonSerializable(typeof(List<MonitoringApi.ChainCosts>))]
// problems (application/problem+json) and the values their extensions carry
[JsonSerializable(typeof(ProblemDetails))]
[JsonSerializable(typeof(HttpValidationProblemDetails))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(double))]
[JsonSerializable(typeof(decimal))]
internal sealed partial class ApiJson : JsonSerializerContext;
