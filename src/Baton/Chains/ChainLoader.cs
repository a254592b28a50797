namespace Baton.Chains;

/// <summary>
/// Loads chain YAML (SPEC §2) into an immutable Chain. Every problem is collected, each with
/// file:line:col, and thrown together as one ChainValidationException.
/// </summary>
public static class ChainLoader
{
    /// <param name="chainPath">Used in error messages and as Chain.SourcePath.</param>
    /// <param name="readReferencedFile">
    /// Reads a prompt or script file by its chain-relative path: the text, or null when it does not
    /// exist. It may throw ChainReferenceException for a path it refuses (see ChainFiles.Reader).
    /// </param>
    public static Chain Load(string chainPath, string yamlText, Func<string, string?> readReferencedFile)
    {
        var (chain, errors) = ChainParser.Parse(chainPath, yamlText, readReferencedFile);
        return chain ?? throw new ChainValidationException(errors);
    }

    /// <summary>Reads the chain from disk; referenced files must stay inside ChainFiles.FindRoot.</summary>
    public static Chain LoadFile(string path, string? workspaceRoot = null)
    {
        var (chain, errors) = ParseFile(path, workspaceRoot);
        return chain ?? throw new ChainValidationException(errors);
    }

    /// <summary>The chain, or null and every error: one parse for callers that need both (the API's PUT).</summary>
    public static (Chain? Chain, IReadOnlyList<ChainError> Errors) TryLoad(
        string chainPath,
        string yamlText,
        Func<string, string?> readReferencedFile
    ) => ChainParser.Parse(chainPath, yamlText, readReferencedFile);

    /// <summary>Every error of the chain; empty when it is valid. For `baton validate` and the API.</summary>
    public static IReadOnlyList<ChainError> Validate(
        string chainPath,
        string yamlText,
        Func<string, string?> readReferencedFile
    ) => ChainParser.Parse(chainPath, yamlText, readReferencedFile).Errors;

    public static IReadOnlyList<ChainError> ValidateFile(string path, string? workspaceRoot = null) =>
        ParseFile(path, workspaceRoot).Errors;

    private static (Chain? Chain, IReadOnlyList<ChainError> Errors) ParseFile(string path, string? workspaceRoot)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, [new ChainError(path, new SourceLocation(1, 1), $"cannot read chain file: {e.Message}")]);
        }
        var root = ChainFiles.FindRoot(path, workspaceRoot);
        var (chain, errors) = ChainParser.Parse(path, text, ChainFiles.Reader(path, root));
        if (chain is null)
            return (chain, errors);
        var subChainErrors = SubChains.Check(path, chain, root);
        return subChainErrors.Count > 0 ? (null, subChainErrors) : (chain, errors);
    }
}
