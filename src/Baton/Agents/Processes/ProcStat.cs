using System.Globalization;

namespace Baton.Agents.Processes;

/// <summary>
/// The fields of /proc/&lt;pid&gt;/stat we need. StartTime (field 22, clock ticks since boot) plus pid
/// identifies a process across pid reuse.
/// </summary>
internal readonly record struct ProcStat(int ProcessGroup, long StartTime)
{
    /// <summary>False when the process doesn't exist (or vanished while being read).</summary>
    public static bool TryRead(int pid, out ProcStat stat)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (IOException)
        {
            // Not found, or ESRCH from a process that exited between open and read: either way, gone.
            stat = default;
            return false;
        }

        stat = Parse(text);
        return true;
    }

    internal static ProcStat Parse(string text)
    {
        // Field 2 is "(comm)" and comm may contain spaces and parentheses, so count fields
        // from the last ')': after it come field 3 (state), 4 (ppid), 5 (pgrp), ... 22 (starttime).
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        return new ProcStat(
            int.Parse(fields[5 - 3], CultureInfo.InvariantCulture),
            long.Parse(fields[22 - 3], CultureInfo.InvariantCulture)
        );
    }
}
