namespace Baton.Chains;

/// <summary>
/// How big a chain may be (docs/chains.md, Limits). Validation is linear in the chain's size, but
/// a server parses whatever a tenant PUTs, and a chain past these is a mistake or an attack: the
/// file is refused with one clear error (exit 2, 422) before any work proportional to it.
/// </summary>
public static class ChainLimits
{
    /// <summary>Checked before parsing (UTF-8 bytes of the chain file).</summary>
    public const int MaxBytes = 1 << 20;

    /// <summary>Checked once the `agents` mapping is read, before any agent is parsed.</summary>
    public const int MaxAgents = 5_000;

    /// <summary>Mappings and lists inside one another; a chain uses about six.</summary>
    public const int MaxDepth = 32;

    /// <summary>`max_rounds` of a chain or agent: a loop that has not converged after 100 rounds will not.</summary>
    public const int MaxRounds = 100;

    /// <summary>
    /// Runs inside runs (`chain:` agents): a top-level run is depth 0, its child 1... A child deeper than this
    /// fails to start. Validation refuses cycles; the cap also stops chains edited into one after a run started.
    /// </summary>
    public const int MaxSubChainDepth = 4;
}
