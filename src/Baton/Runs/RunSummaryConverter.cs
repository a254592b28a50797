using System.Text.Json;
using System.Text.Json.Serialization;

namespace Baton.Runs;

/// <summary>
/// Writes a <see cref="RunSummary"/> field by field, the same bytes the generated serializer wrote (RunSummaryJsonTests).
/// Why by hand: the generated metadata is generic code over decimal, DateTimeOffset?, double? and the status enums
/// inside System.Text.Json, which ReadyToRun cannot precompile — `baton run --json` compiled ~370 methods (~30 ms
/// of its ~200 ms) just to print this object (docs/performance.md). Every writer of a summary goes through here:
/// the CLI, `baton runs --json` and the API (the attribute on the type holds for reflection too).
/// </summary>
public sealed class RunSummaryConverter : JsonConverter<RunSummary>
{
    public override RunSummary Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("a run summary is built from the run's files, never read back from JSON");

    public override void Write(Utf8JsonWriter writer, RunSummary summary, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString("id", summary.Id);
        WriteNullable(writer, "chain", summary.Chain);
        writer.WriteString("status", summary.Status.Wire());
        WriteNullable(writer, "reason", summary.Reason);
        WriteTime(writer, "started", summary.Started);
        WriteTime(writer, "finished", summary.Finished);
        writer.WriteNumber("cost_usd", summary.CostUsd);
        writer.WriteStartObject("agents");
        foreach (var (name, agent) in summary.Agents)
        {
            writer.WriteStartObject(name);
            writer.WriteString("status", agent.Status.Wire());
            writer.WriteNumber("attempts", agent.Attempts);
            writer.WriteNumber("cost_usd", agent.CostUsd);
            WriteNullable(writer, "output", agent.Output);
            WriteNullable(writer, "reason", agent.Reason);
            WriteTime(writer, "started", agent.Started);
            WriteTime(writer, "finished", agent.Finished);
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
        // The optional fields are left out when empty, as their JsonIgnore conditions say.
        if (summary.Stalled is { } stalled)
            writer.WriteString("stalled", stalled);
        if (summary.QualityScore is { } quality)
            writer.WriteNumber("quality_score", quality);
        if (summary.FailedChecks != 0)
            writer.WriteNumber("failed_checks", summary.FailedChecks);
        if (summary.Versions is { } versions)
        {
            writer.WritePropertyName("versions");
            Prompts.RunVersionsConverter.WriteVersions(writer, versions);
        }
        if (summary.Mark is { } mark)
            writer.WriteString("mark", mark);
        writer.WriteEndObject();
    }

    internal static void WriteNullable(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
            writer.WriteNull(name);
        else
            writer.WriteString(name, value);
    }

    private static void WriteTime(Utf8JsonWriter writer, string name, DateTimeOffset? time)
    {
        if (time is { } t)
            writer.WriteString(name, t);
        else
            writer.WriteNull(name);
    }
}
