namespace Baton.Bench;

/// <summary>
/// W3: 1,000 runs of draft → decision → publish, all paused at the decision. Not measurable yet:
/// `decision:` agents are not built in the engine, so its measurements are null and the table says so.
/// </summary>
public sealed class W3Paused : Workload
{
    public const string NotBuilt = "decisions not built yet";
    public override string Name => "W3";
    public override string Title => "paused";

    public override Task<Dictionary<string, double?>> RunAsync(ChildOptions options) =>
        Task.FromResult(new Dictionary<string, double?> { ["pause_s"] = null, ["paused_rss_mb"] = null, ["resume_s"] = null });
}
