using Baton.Chains;
using Baton.Events;
using Baton.Runs;
using Baton.Workspaces;

namespace Baton.Tests;

/// <summary>A real workspace folder in /tmp for one test, deleted afterwards.</summary>
public sealed class TestWorkspace : IDisposable
{
    public TestWorkspace()
    {
        Root = Path.Combine(Path.GetTempPath(), "baton-tests", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string Write(string relative, string text)
    {
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    public Workspace Workspace => Workspace.Open(Root);

    public static EngineOptions FastOptions(Action<RunFolder, RunEvent>? onEvent = null) =>
        new()
        {
            RetryBaseDelay = TimeSpan.FromMilliseconds(20),
            KillGrace = TimeSpan.FromSeconds(2),
            OnEvent = onEvent,
        };

    /// <summary>Creates a run of the chain text and runs it to its end in this process.</summary>
    public async Task<(RunFolder Run, RunOutcome Outcome)> RunAsync(
        string chainYaml,
        IReadOnlyDictionary<string, string>? inputs = null,
        EngineOptions? options = null,
        CancellationToken cancel = default
    )
    {
        var run = await CreateRunAsync(chainYaml, inputs);
        var outcome = await new RunEngine(Workspace, options ?? FastOptions())
            .RunAsync(run, cancel)
            .WaitAsync(TimeSpan.FromSeconds(60));
        return (run, outcome);
    }

    public async Task<RunFolder> CreateRunAsync(string chainYaml, IReadOnlyDictionary<string, string>? inputs = null)
    {
        var chainPath = Write("chains/test.yaml", chainYaml);
        var chain = ChainLoader.LoadFile(chainPath, Root);
        return await RunCreator.CreateAsync(
            Workspace,
            chain,
            chainYaml,
            inputs ?? new Dictionary<string, string>(),
            GroupCommitter.Shared
        );
    }

    public static IReadOnlyList<RunEvent> Events(RunFolder run) => EventReader.ReadAll(run.Events);

    public static IReadOnlyList<string> Types(RunFolder run) => [.. Events(run).Select(e => e.Type)];

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
