using Baton.Chains;
using Baton.Workspaces;
using Microsoft.Extensions.Logging;

namespace Baton.Server.Triggers;

/// <summary>
/// `file:` triggers. Each tick (ScheduleTriggers' clock) lists drop/ of a workspace that has one; a file whose
/// size and modification time are what they were a tick before (at least a second ago) has stopped growing.
/// It is moved to drop/.taken/ first and its run started after, so it starts exactly one run, also across a
/// restart (a crash between the two loses that one start; the file stays in .taken/). The first chain, by
/// file name, whose glob matches takes it.
/// </summary>
public sealed class FileTriggers(TriggerStarter starter, ILogger<FileTriggers> logger)
{
    private readonly Dictionary<string, (long Size, long ModifiedNs, DateTimeOffset Seen)> _seen = new(
        StringComparer.Ordinal
    );

    internal async Task ScanAsync(
        string workspace,
        string workspaceRoot,
        IReadOnlyList<WorkspaceChains.Entry> chains,
        DateTimeOffset now
    )
    {
        var watchers = chains
            .Where(c => c.Chain is not null)
            .SelectMany(c =>
                c.Chain!.Triggers.OfType<FileTrigger>()
                    .Select(t => (Entry: c, Trigger: t, Glob: DropFolder.Glob(t.Glob)))
            )
            .ToList();
        if (watchers.Count == 0)
            return;
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in DropFolder.Scan(workspaceRoot))
        {
            var key = $"{workspace}/{file.Relative}";
            present.Add(key);
            if (
                !_seen.TryGetValue(key, out var before)
                || before.Size != file.Size
                || before.ModifiedNs != file.ModifiedNs
            )
            {
                _seen[key] = (file.Size, file.ModifiedNs, now);
                continue;
            }
            if (now - before.Seen < TimeSpan.FromSeconds(1))
                continue;
            if (watchers.FirstOrDefault(w => w.Glob.IsMatch(file.Relative)) is not { Entry: not null } watcher)
                continue;
            _seen.Remove(key);
            present.Remove(key);
            if (DropFolder.Take(workspaceRoot, file.Relative, now) is not { } taken)
                continue;
            var name = Path.GetFileName(file.Relative);
            logger.LogInformation(
                "{Workspace}: {File} taken for {Chain}",
                workspace,
                file.Relative,
                watcher.Entry.Name
            );
            await starter.StartAsync(
                workspace,
                watcher.Entry,
                watcher.Trigger,
                reference => reference == "file.name" ? name : taken,
                $"file drop/{file.Relative} (now {taken})"
            );
        }
        foreach (
            var gone in _seen
                .Keys.Where(k => k.StartsWith($"{workspace}/", StringComparison.Ordinal) && !present.Contains(k))
                .ToList()
        )
            _seen.Remove(gone);
    }
}
