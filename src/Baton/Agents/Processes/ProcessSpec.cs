namespace Baton.Agents.Processes;

/// <summary>
/// What to run and where its output goes. Environment is the child's entire environment: nothing
/// is inherited from Baton, and a bare Executable is looked up on Environment["PATH"].
/// A relative Executable containing '/' and relative output paths are taken from WorkingDirectory.
/// </summary>
public sealed record ProcessSpec(
    string Executable,
    IReadOnlyList<string> Arguments,
    string WorkingDirectory,
    IReadOnlyDictionary<string, string> Environment,
    string StdoutPath,
    string StderrPath
)
{
    /// <summary>Append to StdoutPath/StderrPath instead of truncating them (e.g. on a retry).</summary>
    public bool Append { get; init; }
}
