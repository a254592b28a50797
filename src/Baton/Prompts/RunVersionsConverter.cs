using System.Text.Json;
using System.Text.Json.Serialization;

namespace Baton.Prompts;

/// <summary>
/// versions.json written and read field by field (the bytes the generated serializer wrote: RunSummaryJsonTests).
/// Every run writes this file when it is made and `baton run --json` reads it back for its summary; the generated
/// metadata was generic code over bool inside System.Text.Json that ReadyToRun cannot precompile, ~70 methods
/// compiled at every start (docs/performance.md). Unknown fields are skipped, so a newer file still reads.
/// </summary>
public sealed class RunVersionsConverter : JsonConverter<RunVersions>
{
    public override RunVersions Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        try
        {
            return Read(document.RootElement);
        }
        catch (InvalidOperationException e) // a value of another kind where a string or a bool belongs
        {
            throw new JsonException($"versions.json: {e.Message}", e);
        }
    }

    private static RunVersions Read(JsonElement document)
    {
        var root = Object(document, "versions");
        var chain = root.TryGetProperty("chain", out var c)
            ? ReadSource(c)
            : throw new JsonException("versions.json has no 'chain'");
        var prompts = new Dictionary<string, PromptVersion>(StringComparer.Ordinal);
        if (root.TryGetProperty("prompts", out var p) && p.ValueKind != JsonValueKind.Null)
            foreach (var prompt in Object(p, "prompts").EnumerateObject())
                prompts[prompt.Name] = ReadPrompt(prompt.Value);
        return new RunVersions(chain, prompts);
    }

    public override void Write(Utf8JsonWriter writer, RunVersions versions, JsonSerializerOptions options) =>
        WriteVersions(writer, versions);

    internal static void WriteVersions(Utf8JsonWriter writer, RunVersions versions)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("chain");
        writer.WriteString("sha256", versions.Chain.Sha256);
        writer.WriteString("source", versions.Chain.Source);
        WriteGit(writer, versions.Chain.Git);
        writer.WriteEndObject();
        writer.WriteStartObject("prompts");
        foreach (var (agent, prompt) in versions.Prompts)
        {
            writer.WriteStartObject(agent);
            writer.WriteString("version", prompt.Version);
            writer.WriteString("prompt_sha256", prompt.PromptSha256);
            Runs.RunSummaryConverter.WriteNullable(writer, "system_sha256", prompt.SystemSha256);
            writer.WriteString("source", prompt.Source);
            writer.WriteBoolean("inline", prompt.Inline);
            WriteGit(writer, prompt.Git);
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteGit(Utf8JsonWriter writer, GitState? git)
    {
        if (git is null)
            return; // left out, not null: a workspace that is no repository
        writer.WriteStartObject("git");
        writer.WriteString("commit", git.Commit);
        writer.WriteBoolean("modified", git.Modified);
        writer.WriteEndObject();
    }

    private static SourceVersion ReadSource(JsonElement element)
    {
        var source = Object(element, "chain");
        return new SourceVersion(Text(source, "sha256") ?? "", Text(source, "source") ?? "", ReadGit(source));
    }

    private static PromptVersion ReadPrompt(JsonElement element)
    {
        var prompt = Object(element, "a prompt's version");
        return new PromptVersion(
            Text(prompt, "version") ?? "",
            Text(prompt, "prompt_sha256") ?? "",
            Text(prompt, "system_sha256"),
            Text(prompt, "source") ?? "",
            prompt.TryGetProperty("inline", out var inline) && inline.GetBoolean(),
            ReadGit(prompt)
        );
    }

    private static GitState? ReadGit(JsonElement owner)
    {
        if (!owner.TryGetProperty("git", out var element) || element.ValueKind == JsonValueKind.Null)
            return null;
        var git = Object(element, "git");
        return new GitState(
            Text(git, "commit") ?? "",
            git.TryGetProperty("modified", out var modified) && modified.GetBoolean()
        );
    }

    private static JsonElement Object(JsonElement element, string what) =>
        element.ValueKind == JsonValueKind.Object ? element : throw new JsonException($"'{what}' is not an object");

    /// <summary>The string, null when absent or null; another kind of value throws (GetString does).</summary>
    private static string? Text(JsonElement owner, string name) =>
        owner.TryGetProperty(name, out var value) ? value.GetString() : null;
}
