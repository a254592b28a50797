using System.Text;
using System.Text.Json;
using Baton.Events;
using Baton.Runs;
using Microsoft.AspNetCore.Http;

namespace Baton.Server.Api;

/// <summary>
/// Server-sent events of a run: every event file as it appears (id = seq, so a reconnecting client
/// sends Last-Event-ID and misses nothing), until run.finished. Reads the files, so it works for runs
/// executed by any engine.
/// </summary>
internal static class EventStream
{
    public static async Task WriteAsync(HttpContext http, RunFolder run)
    {
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        long last = long.TryParse(http.Request.Headers["Last-Event-ID"], out var resume) ? resume : 0;
        var cancel = http.RequestAborted;
        var quiet = 0;
        while (!cancel.IsCancellationRequested)
        {
            var finished = false;
            foreach (var e in EventReader.ReadAll(run.Events, afterSeq: last))
            {
                var json = JsonSerializer.Serialize(JsonDocument.Parse(EventJson.Serialize(e)).RootElement);
                // No `event:` field: every event arrives as a plain message (EventSource.onmessage), custom types too.
                await http.Response.WriteAsync($"id: {e.Seq}\ndata: {json}\n\n", Encoding.UTF8, cancel);
                last = e.Seq;
                finished |= e.Type == EventTypes.RunFinished;
                quiet = 0;
            }
            await http.Response.Body.FlushAsync(cancel);
            if (finished) return;
            if (++quiet % 75 == 0) await http.Response.WriteAsync(": keep-alive\n\n", cancel); // ~15 s
            try { await Task.Delay(200, cancel); }
            catch (OperationCanceledException) { return; }
        }
    }
}
