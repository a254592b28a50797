namespace Baton.Bench;

public sealed record HarnessOptions(
    bool Quick,
    int Reps,
    IReadOnlyList<string> Only,
    string Out,
    string RepoRoot,
    bool Keep = false
)
{
    public static HarnessOptions? Parse(string[] args)
    {
        var quick = false;
        var keep = false;
        int? reps = null;
        var only = new List<string>();
        string? output = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    quick = true;
                    break;
                case "--keep":
                    keep = true;
                    break;
                case "--reps" when i + 1 < args.Length && int.TryParse(args[i + 1], out var n) && n > 0:
                    reps = n;
                    i++;
                    break;
                case "--only" when i + 1 < args.Length:
                    only.AddRange(
                        args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => s.ToUpperInvariant())
                    );
                    break;
                case "--out" when i + 1 < args.Length:
                    output = args[++i];
                    break;
                default:
                    return null;
            }
        }
        var root = FindRepoRoot();
        return new HarnessOptions(
            quick,
            reps ?? (quick ? 1 : 5),
            only,
            output ?? Path.Combine(root, "bench", "results.json"),
            root,
            keep
        );
    }

    internal static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Baton.slnx")))
                return dir.FullName;
        return Directory.GetCurrentDirectory();
    }
}

public sealed record ChildOptions(bool Quick, string? Root);
