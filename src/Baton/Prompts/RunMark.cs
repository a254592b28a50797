using System.Text.Json;
using System.Text.Json.Serialization;

namespace Baton.Prompts;

/// <summary>
/// `baton mark RUN bad|good`: a person's verdict on a finished run, kept in its folder (mark.json)
/// beside the events rather than as one — the run's event log has one writer, its engine, and a
/// finished run has none. A run marked bad is never the last known good version; marking it good
/// again undoes that. The latest mark wins.
/// </summary>
public sealed record RunMark(
    [property: JsonPropertyName("verdict")] string Verdict,
    [property: JsonPropertyName("time")] DateTimeOffset Time,
    [property: JsonPropertyName("by")] string? By
)
{
    public const string FileName = "mark.json";
    public const string Bad = "bad";
    public const string Good = "good";

    public static RunMark? Read(string runFolder)
    {
        try
        {
            // Read without following a link: the server reads run folders as root.
            var bytes = Workspaces.WorkspaceDirectory.ReadFile(runFolder, FileName, 1 << 20);
            return bytes is null ? null : JsonSerializer.Deserialize(bytes, RunMarkJson.Default.RunMark);
        }
        catch (Exception e)
            when (e is IOException or JsonException or UnauthorizedAccessException or Runs.UnsafePathException)
        {
            return null;
        }
    }

    /// <summary>Replaces the mark atomically (written aside, renamed over), so a reader sees the old or the new one.</summary>
    public static void Write(string runFolder, RunMark mark)
    {
        if (mark.Verdict is not (Bad or Good))
            throw new ArgumentException($"a run is marked '{Bad}' or '{Good}', not '{mark.Verdict}'", nameof(mark));
        var path = Path.Combine(runFolder, FileName);
        var temp = path + $".{Guid.NewGuid():N}.tmp";
        File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(mark, RunMarkJson.Default.RunMark));
        File.Move(temp, path, overwrite: true);
    }
}

[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(RunMark))]
internal sealed partial class RunMarkJson : JsonSerializerContext;
