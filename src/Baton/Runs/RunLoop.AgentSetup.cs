using Baton.Agents;
using Baton.Agents.Processes;
using Baton.Chains;

namespace Baton.Runs;

/// <summary>What an agent's attempt is given: its folder, working folder, environment and declared secrets.</summary>
internal sealed partial class RunLoop
{
    /// <summary>The agent's declared secrets (SPEC §6: only to agents that declare them), or why they can't be had.</summary>
    private string? SecretEnvironment(AgentSpec spec, out Dictionary<string, string> values)
    {
        values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (spec.Secrets.Count == 0)
            return null;
        try
        {
            var store = _engine.Workspace.Secrets();
            foreach (var name in spec.Secrets)
            {
                if (store.Get(name) is not { } value)
                    return $"secret '{name}' is not set in this workspace (set it with: baton secret set {name})";
                values[name] = value;
            }
            return null;
        }
        catch (Secrets.SecretStoreException e)
        {
            return e.Message;
        }
    }

    /// <summary>A fresh agent folder for this attempt; an earlier attempt's files move to attempts/N/.</summary>
    private string PrepareAgentDir(string name, int attempt)
    {
        var dir = SafePaths.EnsureDirectory(_run.Path, Path.Combine("agents", name));
        if (attempt == 1)
            return dir; // nothing earlier to move aside (an agent runs only after its started event)
        var previous = Directory.EnumerateFileSystemEntries(dir).Where(p => Path.GetFileName(p) != "attempts").ToList();
        if (previous.Count > 0)
        {
            var archive = SafePaths.EnsureDirectory(
                _run.Path,
                Path.Combine(
                    "agents",
                    name,
                    "attempts",
                    (attempt - 1).ToString(System.Globalization.CultureInfo.InvariantCulture)
                )
            );
            foreach (var entry in previous)
            {
                var target = Path.Combine(archive, Path.GetFileName(entry));
                if (Directory.Exists(entry) && !SafePaths.IsSymlink(entry))
                    Directory.Move(entry, target);
                else
                    File.Move(entry, target, overwrite: true);
            }
        }
        return dir;
    }

    /// <summary>The agents' working folder; made (and checked for symlinks) only for a process, the only kind that works in it.</summary>
    /// <remarks>
    /// A chain's `workdir:` is a folder under the workspace's work/ (ChainParser refuses anything else).
    /// It is handed to the workspace's user only when the engine made it, here, for these agents: Baton
    /// never gives an agent a folder it did not create for it (a folder already there stays as it is).
    /// </remarks>
    private string WorkDir(AgentSpec spec)
    {
        var forProcess = spec.IsProcess;
        if ((spec.Workdir ?? _chain.Workdir) is not { } workdir)
            return forProcess ? SafePaths.EnsureDirectory(_run.Path, "work") : SafePaths.Resolve(_run.Path, "work");
        if (WorkdirPath.IsAbsolute(workdir))
        {
            // Validation let it through for `baton run`; a server's engine refuses it here too, whatever started the run.
            if (!Options.AllowAbsoluteWorkdir)
                throw new UnsafePathException(WorkdirPath.ServerRefusal(workdir));
            return forProcess ? Directory.CreateDirectory(workdir).FullName : workdir;
        }
        if (!forProcess)
            return SafePaths.Resolve(_engine.Workspace.Root, workdir);
        var path = SafePaths.EnsureDirectory(_engine.Workspace.Root, workdir, out var created);
        if (created && Options.IsolationFor?.Invoke(_engine.Workspace)?.User is { } user)
            user.Own(path);
        return path;
    }

    /// <summary>
    /// What an agent's checks need from the engine: the judge (through the prompt runner's provider pool) and,
    /// for a `run:` check, a context like a `run:` agent's — its environment and, under the server, its
    /// workspace user and a cgroup — whatever kind the checked agent is.
    /// </summary>
    private Checks.CheckTools CheckTools(
        AgentSpec spec,
        int attempt,
        Agents.AgentContext context,
        IReadOnlyDictionary<string, string> secrets
    ) =>
        new(
            model =>
                Options.Runners.GetValueOrDefault(AgentKind.Prompt) is Agents.PromptAgent prompt
                    ? Assertions.LlmJudge.ForRun(prompt.Pool, _engine.Workspace, model, _run, _chain.Name)
                    : null,
            folder =>
                context with
                {
                    AgentDir = folder,
                    WorkDir = folder,
                    Environment = Environment(spec, attempt, folder, null, secrets),
                    Isolation = Options.IsolationFor?.Invoke(_engine.Workspace),
                }
        );

    /// <summary>What an LLM call gets: it starts no process, so it has no environment to build.</summary>
    private static readonly IReadOnlyDictionary<string, string> NoEnvironment = new Dictionary<string, string>();

    private Dictionary<string, string> Environment(
        AgentSpec spec,
        int attempt,
        string agentDir,
        string? agentInbox,
        IReadOnlyDictionary<string, string> secrets
    )
    {
        var env = new Dictionary<string, string>(Options.BaseEnvironment, StringComparer.Ordinal);
        foreach (var (key, value) in spec.Env)
            env[key] = value.Contains("{{", StringComparison.Ordinal) ? RenderTemplate(spec.Name, value) : value;
        foreach (var (key, value) in secrets)
            env[key] = value;
        env["BATON_RUN_DIR"] = _run.Path;
        env["BATON_RUN_ID"] = _run.Id;
        env["BATON_AGENT"] = spec.Name;
        env["BATON_ATTEMPT"] = attempt.ToString(System.Globalization.CultureInfo.InvariantCulture);
        env["BATON_ROUND"] = Math.Max(1, _state.Agent(spec.Name).Round)
            .ToString(System.Globalization.CultureInfo.InvariantCulture);
        env["BATON_OUTPUT"] = Path.Combine(agentDir, "output");
        if (agentInbox is not null)
            env["BATON_INBOX"] = agentInbox;
        if (_state.Agent(spec.Name).Feedback is { Length: > 0 } feedback)
            env["BATON_FEEDBACK"] = feedback;
        foreach (var (name, value) in _inputs)
            env[AgentEnvironment.VariableName("BATON_INPUT_", name)] = value;
        foreach (var other in _chain.Agents.Where(a => _state.Agent(a.Name).Status == AgentStatus.Done))
            env[AgentEnvironment.VariableName("BATON_OUT_", other.Name)] = _run.AgentOutput(other.Name);
        return env;
    }
}
