using System.Text.Json.Nodes;
using Baton.Agents;
using Baton.Events;

namespace Baton.Costs;

/// <summary>
/// SPEC §6: at 80 % of the monthly budget, once per workspace and month, an alert: a `budget.alert`
/// event in the run whose call crossed it, a warning, and a POST to `budget.alert_webhook` if set.
/// </summary>
public static class BudgetAlert
{
    /// <summary>True for the first caller this month (across processes: a marker file created exclusively).</summary>
    public static bool Claim(string workspaceRoot, string month)
    {
        // .baton held open below the workspace (never through a link); CreateNew (O_EXCL) follows no link either.
        using var dir = Workspaces.WorkspaceDirectory.OpenFolder(workspaceRoot, ".baton", create: true)!;
        try
        {
            using var _ = new FileStream(dir.Child($"budget-alert-{month}"), FileMode.CreateNew, FileAccess.Write);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    public static void Raise(AgentContext context, decimal spent, decimal budget)
    {
        var percent = budget == 0 ? 100 : Math.Round(spent / budget * 100, 1);
        var workspace = Path.GetFileName(context.Workspace.Root);
        context.Warn?.Invoke($"budget alert: ${spent:0.####} of the monthly ${budget:0.##} spent ({percent} %)");
        context.Alert?.Invoke(new BudgetAlerted(workspace, spent, budget, percent));
        if (context.Workspace.Config.Budget?.AlertWebhook is { } url)
            _ = Task.Run(async () =>
            {
                try
                {
                    using var response = await Notifications
                        .WebhookHttp.For(context.AllowPrivateWebhooks)
                        .PostAsync(
                            url,
                            new StringContent(
                                new JsonObject
                                {
                                    ["type"] = "budget.alert",
                                    ["workspace"] = workspace,
                                    ["run"] = context.Run.Id,
                                    ["spent_usd"] = spent,
                                    ["budget_usd"] = budget,
                                    ["percent"] = percent,
                                }.ToJsonString(),
                                System.Text.Encoding.UTF8,
                                "application/json"
                            )
                        );
                    if (!response.IsSuccessStatusCode)
                        context.Warn?.Invoke($"budget alert webhook answered {(int)response.StatusCode}");
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    context.Warn?.Invoke($"budget alert webhook failed: {e.Message}");
                }
            });
    }
}
