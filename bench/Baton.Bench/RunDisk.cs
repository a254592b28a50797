using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Baton.Bench;

/// <summary>
/// What runs occupy on disk: apparent bytes (file lengths), allocated bytes (4 KB blocks, what `du`
/// counts on this ext4: a block per non-empty file and per folder), and the same by kind of file — a
/// path inside the run with digits folded to `N` (events/000003-… → events/N-…), so 1,000 runs give
/// one line per kind.
/// </summary>
public sealed partial class RunDisk
{
    private readonly SortedDictionary<string, (long Count, long Apparent, long Allocated)> _kinds = new(
        StringComparer.Ordinal
    );

    public long ApparentBytes { get; private set; }
    public long AllocatedBytes { get; private set; }
    public long Files { get; private set; }
    public int Runs { get; private set; }

    public static RunDisk Measure(string runsPath, IEnumerable<string> ids)
    {
        var disk = new RunDisk();
        foreach (var id in ids)
        {
            disk.Runs++;
            var root = Path.Combine(runsPath, id);
            disk.Add(root, root);
        }
        return disk;
    }

    private void Add(string root, string path)
    {
        var info = new DirectoryInfo(path);
        Count(root, info, isFolder: true);
        foreach (var entry in info.EnumerateFileSystemInfos())
        {
            if (entry is DirectoryInfo && entry.LinkTarget is null)
                Add(root, entry.FullName);
            else
                Count(root, entry, isFolder: false);
        }
    }

    private void Count(string root, FileSystemInfo entry, bool isFolder)
    {
        var apparent = entry is FileInfo file && file.LinkTarget is null ? file.Length : 0;
        var allocated = Allocated(entry);
        var kind = Digits().Replace(Path.GetRelativePath(root, entry.FullName), "N") + (isFolder ? "/" : "");
        var (count, a, b) = _kinds.GetValueOrDefault(kind);
        _kinds[kind] = (count + 1, a + apparent, b + allocated);
        ApparentBytes += apparent;
        AllocatedBytes += allocated;
        if (!isFolder)
            Files++;
    }

    /// <summary>ext4 with 4 KB blocks and no inline data: a folder takes a block, a file its length rounded up.</summary>
    private static long Allocated(FileSystemInfo entry) =>
        entry switch
        {
            DirectoryInfo => Block,
            FileInfo { LinkTarget: null } file => (file.Length + Block - 1) / Block * Block,
            _ => 0, // a symlink's target fits in its inode
        };

    private const long Block = 4096;

    /// <summary>One line per kind: count per run, apparent and allocated bytes per run.</summary>
    public string Breakdown()
    {
        var text = new StringBuilder().Append(
            CultureInfo.InvariantCulture,
            $"per paused run ({Runs} runs): {ApparentBytes / (double)Runs:0} B apparent, {AllocatedBytes / (double)Runs:0} B allocated, {Files / (double)Runs:0.0} files\n"
        );
        foreach (var (kind, (count, apparent, allocated)) in _kinds)
            text.Append(
                CultureInfo.InvariantCulture,
                $"  {kind, -48} ×{count / (double)Runs, 5:0.##} {apparent / (double)Runs, 8:0} B {allocated / (double)Runs, 8:0} B alloc\n"
            );
        return text.ToString();
    }

    [GeneratedRegex("[0-9]+")]
    private static partial Regex Digits();
}
