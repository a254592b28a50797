using System.Text;
using System.Text.Json;
using Baton.Events;
using Baton.Runs;
using Microsoft.AspNetCore.Http;

namespace Baton.Server.Api;

/// <summary>
/// Server-sent events of a run: every event file as it appears (id = seq, so a reconnecting client
/// sends Last-Event-ID and misses nothing), until run.finished. Reads the files, so it works for runs
/// executed by any engine. The folder is watched (the process's one inotify instance), so an open
/// page costs nothing while its run waits for someone: the files are read when one lands, and every
/// 5 s anyway (every 200 ms if the kernel refused the watch).
/// </summary>
internal static class EventStream
{
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    public static async Task WriteAsync(HttpContext http, RunFolder run)
    {
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        long last = long.TryParse(http.Request.Headers["Last-Event-ID"], out var resume) ? resume : 0;
        var cancel = http.RequestAborted;
        using var landed = new SemaphoreSlim(0, 1);
        using var watch = InboxWatcher.Shared.Watch(run.Events, () =>
        {
            try
            {
                landed.Release();
            }
            catch (SemaphoreFullException) { }
            catch (ObjectDisposedException) { }
        });
        var rescan = watch.Active ? TimeSpan.FromSeconds(5) : TimeSpan.FromMilliseconds(200);
        var sinceWrite = System.Diagnostics.Stopwatch.StartNew();
        while (!cancel.IsCancellationRequested)
        {
            var finished = false;
            foreach (var e in EventReader.ReadAll(run.Events, afterSeq: last))
            {
                // No `event:` field: every event arrives as a plain message (EventSource.onmessage), custom types too.
                await http.Response.WriteAsync(
                    $"id: {e.Seq}\ndata: {EventJson.ToApiLine(e)}\n\n",
                    Encoding.UTF8,
                    cancel
                );
                last = e.Seq;
                finished |= e.Type == EventTypes.RunFinished;
                sinceWrite.Restart();
            }
            if (sinceWrite.Elapsed >= KeepAlive)
            {
                await http.Response.WriteAsync(": keep-alive\n\n", cancel);
                sinceWrite.Restart();
            }
            await http.Response.Body.FlushAsync(cancel);
            if (finished)
                return;
            try
            {
                await landed.WaitAsync(rescan, cancel);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
