using System.Text;
using Baton.Agents;
using Baton.Chains;
using Baton.Events;
using Baton.Workspaces;

namespace Baton.Runs;

/// <summary>
/// A `chain:` agent's child run (docs/chains.md, Sub-chains): found or made, then run to its end. Which child an
/// attempt runs is derived from files only: agents/&lt;agent&gt;/child.json names it, written durably before the
/// child exists (with that id), so an attempt that resumes one an engine crash interrupted re-attaches to the same
/// child instead of starting a second one. Under `baton run` the parent's engine runs the child in this process;
/// under a server, EngineOptions.LaunchChild hands it to the host (admission, isolation, parking at decisions).
/// </summary>
public sealed class ChildRuns(RunEngine engine)
{
    public const string RecordFileName = "child.json";

    /// <summary>The child this attempt runs: the interrupted attempt's (re-attached) or a new one.</summary>
    /// <exception cref="SubChainException">The depth cap, the named chain or its inputs refuse it.</exception>
    public async Task<RunFolder> FindOrCreateAsync(
        AgentContext context,
        bool resumed,
        CancellationToken cancellationToken
    )
    {
        var spec = context.Agent.SubChain!;
        var depth = (RunLoop.ReadParent(context.Run)?.Depth ?? 0) + 1;
        if (depth > ChainLimits.MaxSubChainDepth)
            throw new SubChainException(
                "depth",
                $"chain '{spec.Chain}' would run {depth} deep inside other runs; at most {ChainLimits.MaxSubChainDepth} are allowed (docs/chains.md, Sub-chains)"
            );
        var agentFolder = $"agents/{context.Agent.Name}";
        var id =
            resumed && context.Attempt > 1
                ? RecordedChild(context.Run, $"{agentFolder}/attempts/{context.Attempt - 1}")
                : null;
        Chain? chain = null;
        string? text = null;
        if (id is null)
        {
            (chain, text) = Load(spec.Chain);
            id = RunIds.New(chain.Name, DateTimeOffset.UtcNow); // run ids carry the wall clock (RunCreator)
        }
        // Before the child exists: a crash after this re-attaches to it (or makes it, under this id).
        WorkspaceDirectory.WriteFile(context.Run.Path, $"{agentFolder}/{RecordFileName}", Encoding.UTF8.GetBytes(id));
        var child = new RunFolder(engine.Workspace.RunsRoot, id);
        if (child.Exists)
            return child;
        if (chain is null)
            (chain, text) = Load(spec.Chain);
        var inputs = spec.Inputs.ToDictionary(i => i.Key, i => context.RenderTemplate(i.Value), StringComparer.Ordinal);
        try
        {
            var (created, durable) = RunCreator.Create(
                engine.Workspace,
                chain,
                text!,
                inputs,
                engine.Options.Committer,
                cancellationToken,
                parent: new ParentRun(context.Run.Id, context.Agent.Name, depth),
                id: id
            );
            await durable;
            return created;
        }
        catch (InputException e)
        {
            throw new SubChainException("input", $"chain '{spec.Chain}': {e.Message}");
        }
    }

    /// <summary>
    /// Runs the child until it has finished and returns its state. A cancel of <paramref name="cancellationToken"/>
    /// (the parent was cancelled) is handed to the child through its inbox; this then waits for it to wind down.
    /// </summary>
    public async Task<RunState> RunToEndAsync(RunFolder child, string cancelledBy, CancellationToken cancellationToken)
    {
        using var changed = new SemaphoreSlim(0);
        using var events = engine.Options.Watcher.Watch(child.Events, () => changed.Release());
        using var inbox = engine.Options.Watcher.Watch(child.Inbox, () => changed.Release());
        var cancelSent = false;
        while (true)
        {
            if (cancellationToken.IsCancellationRequested && !cancelSent)
            {
                await InboxWriter.WriteAsync(child.Inbox, new RunCancel(cancelledBy));
                cancelSent = true;
            }
            var state = RunState.Fold(EventReader.ReadAll(child.Events));
            if (state.Status.IsFinished())
                return state;
            if (engine.Options.LaunchChild is { } launch)
            {
                // The host's engine runs it (a no-op when one does); parked at a decision, the host's watch on its inbox wakes it.
                if (state.Status != RunStatus.Waiting)
                    launch(child);
            }
            else if (state.Status != RunStatus.Waiting || AnswerLeftInInbox(child) || DeadlinePassed(state))
            {
                try
                {
                    // `baton run`: this process runs the child. Parked at a decision, it returns; the answer comes
                    // from `baton decide` (which runs the child itself when no engine holds it) or lands in its inbox.
                    await engine.RunAsync(child, cancelSent ? CancellationToken.None : cancellationToken);
                    continue;
                }
                catch (RunLockedException) { } // another process runs it right now (`baton decide`): wait for its end
            }
            try
            {
                await changed.WaitAsync(
                    TimeSpan.FromSeconds(1),
                    cancelSent ? CancellationToken.None : cancellationToken
                );
            }
            catch (OperationCanceledException) { } // the parent was cancelled: handed on at the top of the loop
        }
    }

    /// <summary>
    /// An answer nobody took for a while (`baton decide --no-resume`). A fresh one is left to the `baton decide`
    /// that wrote it, which runs the child itself: taking it at once would race that process for the child's lock.
    /// </summary>
    private static bool AnswerLeftInInbox(RunFolder child) =>
        new DirectoryInfo(child.Inbox)
            .EnumerateFiles("*.json")
            .Any(f => f.LastWriteTimeUtc < DateTime.UtcNow - TimeSpan.FromSeconds(2));

    private bool DeadlinePassed(RunState state) =>
        state.Agents.Values.Any(a => a.DecisionDeadline is { } at && at <= engine.Options.Time.GetUtcNow());

    /// <summary>The run an earlier attempt recorded in its folder (moved to attempts/N/ when this one started), if any.</summary>
    private static string? RecordedChild(RunFolder parent, string attemptFolder) =>
        WorkspaceDirectory.ReadText(parent.Path, $"{attemptFolder}/{RecordFileName}", 256)?.Trim() is { } id
        && RunIds.IsValid(id)
            ? id
            : null;

    /// <summary>The named chain as the workspace has it now, read below the workspace without following links.</summary>
    private (Chain Chain, string Text) Load(string name)
    {
        var root = engine.Workspace.Root;
        var relative = $"chains/{name}.yaml";
        var file = Path.Combine(root, relative);
        try
        {
            var text = WorkspaceDirectory.ReadText(root, relative, ChainLimits.MaxBytes)
                ?? throw new SubChainException("config", $"there is no chain '{name}' in this workspace ({relative})");
            return (ChainCache.Load(file, text, ChainFiles.Reader(file, root)), text);
        }
        catch (ChainValidationException e)
        {
            throw new SubChainException("config", $"chain '{name}' is not valid: {e.Errors[0]}");
        }
        catch (Exception e) when (e is IOException or UnsafePathException or ChainReferenceException)
        {
            throw new SubChainException("config", $"cannot read chain '{name}' ({relative}): {e.Message}");
        }
    }
}

/// <summary>Why a `chain:` agent could not start its child; Reason is its failed event's reason.</summary>
public sealed class SubChainException(string reason, string message) : Exception(message)
{
    public string Reason { get; } = reason;
}
