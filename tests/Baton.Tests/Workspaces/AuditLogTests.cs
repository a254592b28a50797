using Baton.Workspaces;

namespace Baton.Tests.Workspaces;

public class AuditLogTests
{
    [Fact]
    public async Task ManyWritersAtOnce_EveryLineWholeAndThere_AndTheFileIsTheOwnersOnly()
    {
        using var ws = new TestWorkspace();
        await AuditLog.AppendAsync(ws.Root, "owner", "cli", "workspace.create", "default");
        // Threads in this process and a second process (an admin CLI next to the server) append at once.
        using var other = System.Diagnostics.Process.Start(
            "bash",
            [
                "-c",
                $"for i in $(seq 1 200); do printf '%s\\n' '{{\"time\":\"2026-01-01T00:00:00+00:00\",\"who\":\"cli\",\"via\":\"cli\",\"action\":\"x\",\"target\":\"'$i'\",\"detail\":null}}' >> '{Path.Combine(ws.Root, AuditLog.FileName)}'; done",
            ]
        );
        await Task.WhenAll(
            Enumerable
                .Range(0, 400)
                .Select(i =>
                    Task.Run(() =>
                        AuditLog.AppendAsync(
                            ws.Root,
                            $"user{i % 7}",
                            "api",
                            "run.start",
                            $"run-{i}",
                            new string('d', i % 3 == 0 ? 5000 : 10)
                        )
                    )
                )
        );
        await other.WaitForExitAsync();

        var entries = AuditLog.Read(ws.Root, limit: 1000);
        Assert.Equal(601, File.ReadAllLines(Path.Combine(ws.Root, AuditLog.FileName)).Length);
        Assert.Equal(601, entries.Count); // every line parses: none was torn by another writer
        Assert.Equal(400, entries.Count(e => e.Action == "run.start"));
        Assert.Equal(
            UnixFileMode.UserRead | UnixFileMode.UserWrite,
            File.GetUnixFileMode(Path.Combine(ws.Root, AuditLog.FileName))
        );
    }
}
