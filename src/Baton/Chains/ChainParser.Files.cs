namespace Baton.Chains;

internal sealed partial class ChainParser
{
    /// <summary>
    /// Reads a prompt or script file named relative to the chain file. Containment in the
    /// workspace is the reader's job (it knows the root); the shape checks here hold for any reader.
    /// </summary>
    private string? ReadReference(string relativePath, YamlDotNet.RepresentationModel.YamlNode node, string what)
    {
        if (RelativePath.Check(relativePath, $"{what} file", allowParent: true) is { } problem)
        {
            _errors.Add(node, problem);
            return null;
        }
        string? text;
        try
        {
            text = _readReferencedFile(relativePath);
        }
        catch (ChainReferenceException e)
        {
            _errors.Add(node, e.Message);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _errors.Add(node, $"cannot read {what} file '{relativePath}': {e.Message}");
            return null;
        }
        if (text is null)
        {
            var hint =
                what == "prompt"
                    ? "; a one-line prompt ending in .md or .txt names a file, use 'prompt: |' for inline text"
                    : "";
            _errors.Add(node, $"{what} file '{relativePath}' not found (paths are relative to the chain file){hint}");
        }
        return text;
    }
}
