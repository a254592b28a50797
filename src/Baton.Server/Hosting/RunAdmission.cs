namespace Baton.Server.Hosting;

/// <summary>
/// Per-workspace `max_concurrent_runs`: a run beyond the limit waits in a FIFO (status `queued`: its
/// folder exists, no event yet) and starts when one of the workspace's runs finishes or pauses.
/// Runs paused at a decision don't count: they hold nothing.
/// </summary>
internal sealed class RunAdmission
{
    private readonly Lock _gate = new();
    private readonly Dictionary<
        string,
        (HashSet<string> Active, Queue<(string Key, Action Start)> Waiting)
    > _workspaces = new(StringComparer.Ordinal);

    /// <returns>True when the run may start now; false when it was queued (or already is).</returns>
    public bool TryEnter(string workspace, string key, int? limit, bool skipQueue, Action startLater)
    {
        lock (_gate)
        {
            var ws = Of(workspace);
            if (ws.Active.Contains(key))
                return true;
            if (skipQueue || limit is null || ws.Active.Count < limit)
            {
                ws.Active.Add(key);
                return true;
            }
            if (!ws.Waiting.Any(w => w.Key == key))
                ws.Waiting.Enqueue((key, startLater));
            return false;
        }
    }

    public void Leave(string workspace, string key, int? limit)
    {
        var toStart = new List<Action>();
        lock (_gate)
        {
            var ws = Of(workspace);
            ws.Active.Remove(key);
            while ((limit is null || ws.Active.Count < limit) && ws.Waiting.TryDequeue(out var next))
            {
                ws.Active.Add(next.Key);
                toStart.Add(next.Start);
            }
        }
        foreach (var start in toStart)
            start();
    }

    private (HashSet<string> Active, Queue<(string Key, Action Start)> Waiting) Of(string workspace)
    {
        if (!_workspaces.TryGetValue(workspace, out var ws))
            _workspaces[workspace] = ws = (new HashSet<string>(StringComparer.Ordinal), new Queue<(string, Action)>());
        return ws;
    }
}
