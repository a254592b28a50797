namespace Baton.Runs;

/// <summary>
/// Run folders a creator never finished. RunCreator builds each run under a hidden name (<c>runs/.new-&lt;id&gt;</c>) and
/// renames it into place, so a creator killed mid-way (or stopped by a full disk) leaves only a hidden staging folder,
/// which no listing shows. Folders made before that (or by hand) may still lack inputs.json, the file written last.
/// Nothing was acknowledged for either kind — no API answer, no event — so removing them loses nothing.
/// </summary>
public static class HalfMadeRuns
{
    private const string StagingPrefix = ".new-";

    /// <summary>A creator still at work touched its folder moments ago: only older ones are abandoned.</summary>
    public static readonly TimeSpan AbandonedAfter = TimeSpan.FromMinutes(1);

    public static string StagingPath(string runsRoot, string id) => Path.Combine(runsRoot, StagingName(id));

    /// <summary>The hidden name a run's folder is built under in runs/ before it is renamed to its id.</summary>
    public static string StagingName(string id) => StagingPrefix + id;

    /// <summary>A run folder without inputs.json and without any event: its creator stopped before finishing it.</summary>
    public static bool IsHalfMade(RunFolder run) =>
        !File.Exists(run.InputsFile)
        && (!Directory.Exists(run.Events) || !Directory.EnumerateFiles(run.Events, "*.json").Any());

    /// <summary>Removes abandoned staging folders, saying what was removed (the server's log, the CLI's stderr).</summary>
    public static void RemoveAbandoned(string runsRoot, Action<string> report)
    {
        if (!Directory.Exists(runsRoot))
            return;
        foreach (var staging in Directory.EnumerateDirectories(runsRoot, StagingPrefix + "*"))
            if (IsAbandoned(staging) && TryDelete(staging))
                report(
                    $"removed {Path.GetFileName(staging)}: a run folder whose creation was interrupted (nothing was acknowledged for it)"
                );
    }

    /// <summary>Removes a half-made run (the caller checked IsHalfMade) if its creator is gone; true when it was removed.</summary>
    public static bool RemoveIfAbandoned(RunFolder run, Action<string> report)
    {
        if (!IsAbandoned(run.Path) || !TryDelete(run.Path))
            return false;
        report(
            $"removed run {run.Id}: its folder was left half-made (no inputs.json, no events) by a creator that was stopped; nothing was acknowledged for it"
        );
        return true;
    }

    private static bool IsAbandoned(string folder) =>
        !SafePaths.IsSymlink(folder) && DateTime.UtcNow - Directory.GetLastWriteTimeUtc(folder) >= AbandonedAfter;

    internal static bool TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
