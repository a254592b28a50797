using Baton.Events;

namespace Baton.Runs;

internal sealed partial class RunLoop
{
    /// <summary>
    /// Moves every ready inbox file into events/, in arrival order. Only a running process agent is given
    /// its inbox folder (BATON_INBOX), so between full scans — at a resume, and at least every
    /// RescanInterval, the guarantee that nothing is missed — only the running agents' folders
    /// and the top level are read when inotify says something landed, and only the finished agent's
    /// own folder when an agent finishes (what it emitted must precede its done event; anything
    /// else has its own notification). Reading every folder on every hand-off made a run
    /// O(agents²) in directory reads, and 1,000 small runs pay for every folder read (docs/performance.md).
    /// </summary>
    private void IngestInbox(string? finished = null, bool full = false)
    {
        if (_state.Status.IsFinished())
            return;
        // The wall clock, not the engine's (Options.Time): it is compared with files' mtimes and names taken files.
        var now = DateTimeOffset.UtcNow;
        if (full || now - _lastFullInboxScan >= RescanInterval)
        {
            full = true;
            _lastFullInboxScan = now;
        }
        IEnumerable<string> folders =
            full ? _inboxAgents
            : finished is null ? _running.Keys.Where(_inboxAgents.Contains)
            : [finished];
        var (items, rejected) = _inbox.Take(
            _state,
            _agentNames,
            now,
            folders,
            full,
            topLevel: finished is null,
            deleting: _awaitingDurableDelete.ContainsKey
        );
        if (_handed is { } handed)
        {
            items.Insert(0, handed);
            _handed = null;
        }
        foreach (var rejection in rejected)
        {
            Append(new InboxRejected(rejection.File, rejection.Reason));
            Options.OnWarning?.Invoke(
                $"inbox: rejected {rejection.File}: {rejection.Reason} (moved to inbox/{Inbox.RejectedFolder}/)"
            );
        }
        foreach (var item in items)
        {
            EventBody body = new CustomEvent(item.Type, MaskSecrets(item.Data));
            if (item.Agent is { } agent && item.Type == EventTypes.For(agent, EventTypes.Decided))
            {
                var (decided, refusal) = CheckDecision(agent, DecisionAnswer.Read(item.Data));
                if (decided is null)
                {
                    var refused = Append(new InboxRejected(item.TakenName, refusal!), source: item.Source);
                    Options.OnWarning?.Invoke($"decision refused: {refusal}");
                    DeleteWhenDurable(refused.Durable, item);
                    continue;
                }
                body = decided with { By = MaskSecrets(decided.By), Comment = MaskSecrets(decided.Comment) };
            }
            var attempt = item.Agent is null ? 0 : _state.Agent(item.Agent).Attempt;
            var appended = Append(body, item.Agent, attempt, item.Source);
            DeleteWhenDurable(appended.Durable, item);
        }
    }

    private Secrets.SecretMasker? _chainSecrets;

    /// <summary>A script that holds a secret may put it into an event it emits: events never keep it.</summary>
    private System.Text.Json.JsonElement MaskSecrets(System.Text.Json.JsonElement data)
    {
        _chainSecrets ??= Secrets.SecretMasker.ForChain(_engine.Workspace, _chain);
        if (_chainSecrets.IsEmpty)
            return data;
        var raw = data.GetRawText();
        var masked = _chainSecrets.Apply(raw);
        if (masked == raw)
            return data;
        try
        {
            return System.Text.Json.JsonDocument.Parse(masked).RootElement.Clone();
        }
        catch (System.Text.Json.JsonException)
        {
            return EventJson.Build(w => w.WriteString("masked", "this event's data held a secret"));
        }
    }

    private string MaskSecrets(string text)
    {
        _chainSecrets ??= Secrets.SecretMasker.ForChain(_engine.Workspace, _chain);
        return _chainSecrets.IsEmpty ? text : _chainSecrets.Apply(text);
    }

    /// <summary>
    /// The inbox copy goes only once its event is durable; until then a crash re-ingests it, and the
    /// fold's ConsumedInbox tells the restarted engine that it already is an event.
    /// </summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _awaitingDurableDelete = new(
        StringComparer.Ordinal
    );

    /// <summary>An answer handed over in memory by the host (RunEngine.RunAsync), taken with the first inbox scan.</summary>
    private Inbox.Item? _handed;

    private void DeleteWhenDurable(Task durable, Inbox.Item item)
    {
        if (!item.IsHanded)
            _ = DeleteWhenDurable(durable, item.Path);
    }

    private async Task DeleteWhenDurable(Task durable, string path)
    {
        _awaitingDurableDelete[path] = true;
        try
        {
            await durable;
            Inbox.TryDelete(path);
        }
        catch (IOException) { }
        finally
        {
            _awaitingDurableDelete.TryRemove(path, out _);
        }
    }
}
