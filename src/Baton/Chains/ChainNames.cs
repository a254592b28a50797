using System.Text.RegularExpressions;

namespace Baton.Chains;

/// <summary>The name rules of SPEC §2, in one place so the loader and the CLI agree.</summary>
public static partial class ChainNames
{
    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$")]
    public static partial Regex Chain();

    [GeneratedRegex("^[a-z][a-z0-9_-]{0,62}$")]
    public static partial Regex Agent();

    [GeneratedRegex("^[a-z][a-z0-9_]{0,62}$")]
    public static partial Regex Input();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    public static partial Regex EnvVar();

    [GeneratedRegex("^[A-Z_][A-Z0-9_]*$")]
    public static partial Regex Secret();

    [GeneratedRegex("^[a-z][a-z0-9_-]{0,62}$")]
    public static partial Regex CliTool();

    // Custom event names may carry dots (`review.ready`), so `on:` can name them verbatim.
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$")]
    public static partial Regex Event();

    // `when: {field: ...}`: the event's data, or a value in it ('data.a.b' nested).
    [GeneratedRegex(@"^data(\.[A-Za-z0-9_-]+)*$")]
    public static partial Regex DataPath();

    // A one-line `run:` of this shape names a script file; anything else is an inline script.
    [GeneratedRegex(@"^[\w./-]+\.sh$")]
    public static partial Regex ScriptFile();
}
