using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Baton.Prompts;

/// <summary>
/// Which version of the chain and of each `prompt:` agent's text a run used (versions.json in the
/// run folder, written with the snapshot). Hashes are of the text as written, before templating,
/// so two runs with different inputs share a version; the texts themselves are in the snapshot.
/// Its JSON is written and read by <see cref="RunVersionsConverter"/>.
/// </summary>
[JsonConverter(typeof(RunVersionsConverter))]
public sealed record RunVersions(SourceVersion Chain, IReadOnlyDictionary<string, PromptVersion> Prompts)
{
    public const string FileName = "versions.json";

    /// <summary>Null for runs made before versions were recorded, or when the file is unreadable.</summary>
    public static RunVersions? Load(string runFolder)
    {
        try
        {
            // Read without following a link: the server reads run folders as root.
            var bytes = Workspaces.WorkspaceDirectory.ReadFile(runFolder, FileName, 1 << 20);
            return bytes is null ? null : JsonSerializer.Deserialize(bytes, PromptJson.Default.RunVersions);
        }
        catch (Exception e)
            when (e is IOException or JsonException or UnauthorizedAccessException or Runs.UnsafePathException)
        {
            return null;
        }
    }

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, PromptJson.Default.RunVersions);

    public static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}

/// <summary>A file's hash, where it came from (workspace-relative path), and its git state when the workspace is a repository.</summary>
public sealed record SourceVersion(
    [property: JsonPropertyName("sha256")] string Sha256,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("git")]
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        GitState? Git
);

/// <param name="Version">The prompt version's short id: the first 12 hex digits of SHA-256 over both hashes, what `prompt log` lists and `prompt diff --against` takes.</param>
/// <param name="Source">The prompt file (workspace-relative), or the chain file when the prompt is inline.</param>
public sealed record PromptVersion(
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("prompt_sha256")] string PromptSha256,
    [property: JsonPropertyName("system_sha256")] string? SystemSha256,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("inline")] bool Inline,
    [property: JsonPropertyName("git")]
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        GitState? Git
)
{
    public static string VersionOf(string promptSha256, string? systemSha256) =>
        RunVersions.Sha256($"{promptSha256}:{systemSha256}")[..12];
}

/// <summary>The workspace repository's HEAD commit, and whether the file differs from it (or is not in it).</summary>
public sealed record GitState(
    [property: JsonPropertyName("commit")] string Commit,
    [property: JsonPropertyName("modified")] bool Modified
);

[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(RunVersions))]
internal sealed partial class PromptJson : JsonSerializerContext;
