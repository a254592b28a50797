using System.Collections.Concurrent;
using Baton.Chains;
using Baton.Events;
using Baton.Runs;

namespace Baton.Notifications;

/// <summary>
/// A chain's `notify:` webhooks (docs/chains.md, Notifications): told when a run finishes or fails and when a
/// decision starts waiting, once the event is durable. Sent beside the run, never in its way: the run loop only
/// starts a delivery; retries (SignedPost) happen on the thread pool. Each delivery's outcome is a line of
/// runs/&lt;id&gt;/notifications.jsonl. At most once: a delivery in flight when the process dies is not re-sent.
/// </summary>
public sealed class RunNotifier(EngineOptions options)
{
    public const string FileName = "notifications.jsonl";

    private readonly ConcurrentDictionary<Task, byte> _inFlight = new();
    private static readonly Lock RecordGate = new();

    /// <summary>Starts the deliveries this event calls for, if any (called on the run loop: returns at once).</summary>
    public void OnEvent(Workspaces.Workspace workspace, RunFolder run, Chain chain, EventLog.Appended appended)
    {
        var moment = appended.Event.Body switch
        {
            AgentWaiting => NotifyOn.Waiting,
            RunFinished { Status: RunStatus.Failed } => NotifyOn.Failed,
            RunFinished => NotifyOn.Finished,
            _ => (NotifyOn?)null,
        };
        if (moment is not { } on)
            return;
        for (var i = 0; i < chain.Notify.Count; i++)
        {
            var target = chain.Notify[i];
            // A failed run is told to a webhook that listens for `failed` or for every `finished`, once.
            var wanted = target.On.Contains(on) || (on == NotifyOn.Failed && target.On.Contains(NotifyOn.Finished));
            if (!wanted)
                continue;
            var payload = new NotifyPayload(
                Path.GetFileName(workspace.Root),
                chain.Name,
                run.Id,
                on,
                appended.Event,
                options.LinkBase
            );
            var index = i;
            var task = Task.Run(() => DeliverAsync(workspace, run, target, index, payload, appended.Durable));
            _inFlight[task] = 0;
            _ = task.ContinueWith(t => _inFlight.TryRemove(t, out _), TaskScheduler.Default);
        }
    }

    /// <summary>Waits (bounded) for deliveries still in flight: `baton run` calls it before it exits.</summary>
    public Task DrainAsync(TimeSpan atMost) => Task.WhenAll(_inFlight.Keys).WaitAsync(atMost).ContinueWith(_ => { });

    private async Task DeliverAsync(
        Workspaces.Workspace workspace,
        RunFolder run,
        NotifyTarget target,
        int index,
        NotifyPayload payload,
        Task durable
    )
    {
        IReadOnlyList<DeliveryAttempt> tries;
        try
        {
            await durable; // never tell the outside about an event a crash could still take back
            if (payload.Source.Body is AgentWaiting waiting)
                payload = payload with { CardText = CardText(run, waiting.Shown) };
            var body = target.Format == NotifyFormat.Slack ? payload.ToSlack() : payload.ToJson();
            var signature = Monitoring.AlertWebhook.Sign(Monitoring.AlertWebhook.SigningKey(workspace), body);
            tries = await SignedPost.SendAsync(
                WebhookHttp.For(options.AllowPrivateWebhooks),
                target.Url,
                body,
                signature,
                $"run.{payload.Event}",
                options.AlertRetryDelay
            );
        }
        catch (Exception e)
            when (e is IOException or UnauthorizedAccessException or UnsafePathException or Secrets.SecretStoreException
            )
        {
            tries = [new DeliveryAttempt(0, null, e.Message)];
        }
        var delivered = SignedPost.Delivered(tries);
        if (!delivered)
            options.OnWarning?.Invoke(
                $"notify {target.Url.Host} ({payload.Event}) not delivered: {tries[^1].Error ?? $"answered {tries[^1].Status}"}"
            );
        Record(run, DeliveryRecord.Line(options.Time.GetUtcNow(), index, target.Url, payload.Event, delivered, tries));
    }

    /// <summary>The decision card (shown.md, below the run folder); a huge one is cut, since a chat message cannot hold it anyway.</summary>
    private static string CardText(RunFolder run, string shown)
    {
        const int Max = 64 << 10;
        var bytes = Workspaces.WorkspaceDirectory.ReadFile(run.Path, shown, Max) ?? [];
        var text = System.Text.Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, Max));
        return bytes.Length > Max ? text + "\n… (cut at 64 KiB)" : text;
    }

    private static void Record(RunFolder run, byte[] line)
    {
        try
        {
            lock (RecordGate)
            {
                using var stream = new FileStream(
                    Path.Combine(run.Path, FileName),
                    FileMode.Append,
                    FileAccess.Write,
                    FileShare.ReadWrite
                );
                stream.Write(line);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { } // the warning above said what matters
    }
}
