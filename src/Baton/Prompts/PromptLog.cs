using System.Text.Json.Nodes;

namespace Baton.Prompts;

/// <summary>`prompt log --json` and GET …/chains/{name}/agents/{agent}/versions: one shape for both.</summary>
public static class PromptLog
{
    public static JsonArray Json(IReadOnlyList<PromptVersionUse> versions, string? lastGood, string? current)
    {
        var list = new JsonArray();
        foreach (var v in versions)
            list.Add(
                (JsonNode)
                    new JsonObject
                    {
                        ["version"] = v.Version.Version,
                        ["prompt_sha256"] = v.Version.PromptSha256,
                        ["system_sha256"] = v.Version.SystemSha256,
                        ["source"] = v.Version.Source,
                        ["git"] = v.Version.Git is { } g
                            ? new JsonObject { ["commit"] = g.Commit, ["modified"] = g.Modified }
                            : null,
                        ["first_used"] = v.FirstUsed,
                        ["last_used"] = v.LastUsed,
                        ["runs"] = v.Runs,
                        ["statuses"] = new JsonObject(
                            v.Statuses.Select(s => KeyValuePair.Create(s.Key, (JsonNode?)s.Value))
                        ),
                        ["marked_bad"] = v.MarkedBad,
                        ["failed_checks"] = v.FailedChecks,
                        ["latest_run"] = v.LatestRun,
                        ["last_good"] = v.Version.Version == lastGood,
                        ["current"] = v.Version.Version == current,
                    }
            );
        return list;
    }
}
