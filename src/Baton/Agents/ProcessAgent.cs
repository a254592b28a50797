using System.Text;
using System.Text.Json;
using Baton.Agents.Processes;

namespace Baton.Agents;

/// <summary>
/// Runs one process for an agent the runner's way: own process group, output straight to files,
/// the clean environment, stdin from /dev/null. On exit, whatever the script left running in its
/// group is killed, so a finished agent leaves no daemon behind (a process that calls setsid
/// escapes the group; the server's cgroups catch those).
/// </summary>
internal static class ProcessAgent
{
    public static async Task<AgentResult> RunAsync(
        AgentContext context,
        string executable,
        IReadOnlyList<string> arguments,
        CancellationToken cancellationToken
    )
    {
        var spec = new ProcessSpec(
            executable,
            arguments,
            context.WorkDir,
            context.Environment,
            context.StdoutFile,
            context.StderrFile
        );
        Isolation.Confinement? confinement = null;
        ChildProcess child;
        try
        {
            if (context.Isolation is { } isolation)
                confinement = Isolation.Confinement.Create(isolation, context);
            child = ProcessLauncher.Start(confinement?.Prepare(context, spec) ?? spec);
        }
        catch (Exception e)
            when (e
                    is ProcessStartException
                        or IOException
                        or UnauthorizedAccessException
                        or InvalidOperationException
                        or Runs.UnsafePathException
            )
        {
            if (confinement is not null)
                await confinement.DisposeAsync();
            return AgentResult.Failed("spawn", e.Message);
        }
        await using var confined = confinement; // on the way out: leftovers in its cgroup killed, the cgroup removed
        await File.WriteAllTextAsync(
            Path.Combine(context.AgentDir, "process.json"),
            JsonSerializer.Serialize(
                new ProcessRecord(child.Pid, child.StartTime),
                ProcessRecordJson.Default.ProcessRecord
            ),
            CancellationToken.None
        );

        ProcessExit exit;
        try
        {
            exit = await child.Exited.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            await child.StopAsync(context.KillGrace, CancellationToken.None);
            return AgentResult.Failed("cancelled", "stopped (its whole process group was killed)");
        }
        finally
        {
            child.KillGroup();
            // A declared secret is in this process's environment; whatever it printed of it is masked
            // before the logs are read for the failed event or by anyone else.
            foreach (var file in new[] { context.StdoutFile, context.StderrFile, context.OutputFile })
                context.Masker.MaskFile(file);
        }

        if (confinement?.OutOfMemory(exit, StderrTail(context.StderrFile)) is { } memory)
            return AgentResult.Failed("memory", memory, exit.ExitCode ?? 128 + exit.Signal);
        if (exit.ExitCode == 0)
        {
            var output = new FileInfo(context.OutputFile);
            if (!output.Exists || output.Length == 0)
                File.Copy(context.StdoutFile, context.OutputFile, overwrite: true);
            return AgentResult.Success();
        }
        var how = exit.Signal is { } sig ? $"killed by signal {sig}" : $"exited with code {exit.ExitCode}";
        var tail = StderrTail(context.StderrFile);
        return AgentResult.Failed(
            "exit",
            tail.Length == 0 ? how : $"{how}: {tail}",
            exit.ExitCode ?? 128 + exit.Signal
        );
    }

    /// <summary>The last lines of stderr, for the failed event: enough to see why, never the whole log.</summary>
    internal static string StderrTail(string path, int maxBytes = 2048)
    {
        try
        {
            using var stream = File.OpenRead(path);
            var length = (int)Math.Min(stream.Length, maxBytes);
            stream.Seek(-length, SeekOrigin.End);
            var buffer = new byte[length];
            stream.ReadExactly(buffer);
            var text = Encoding.UTF8.GetString(buffer).Replace('\0', '?').Trim();
            return length < stream.Length ? "…" + text : text;
        }
        catch (IOException)
        {
            return "";
        }
    }
}

/// <summary>agents/&lt;name&gt;/process.json: lets a resumed engine kill an attempt a dead engine left running.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(ProcessRecordConverter))]
public sealed record ProcessRecord(int Pid, long StartTime);

/// <summary>
/// `{"pid": …, "start_time": …}` written and read by hand: every script or CLI agent writes it, and the generated
/// metadata of an int and a long property was ~35 methods the JIT compiled in every `baton run` (docs/performance.md).
/// </summary>
internal sealed class ProcessRecordConverter : System.Text.Json.Serialization.JsonConverter<ProcessRecord>
{
    public override ProcessRecord Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
            throw new JsonException("process.json is not an object");
        try
        {
            return new ProcessRecord(
                root.TryGetProperty("pid", out var pid) ? pid.GetInt32() : 0,
                root.TryGetProperty("start_time", out var start) ? start.GetInt64() : 0
            );
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new JsonException($"process.json: {e.Message}", e);
        }
    }

    public override void Write(Utf8JsonWriter writer, ProcessRecord record, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteNumber("pid", record.Pid);
        writer.WriteNumber("start_time", record.StartTime);
        writer.WriteEndObject();
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(ProcessRecord))]
internal sealed partial class ProcessRecordJson : System.Text.Json.Serialization.JsonSerializerContext;
