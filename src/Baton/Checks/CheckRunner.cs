using Baton.Agents;
using Baton.Assertions;
using Baton.Runs;

namespace Baton.Checks;

/// <summary>What the engine hands the check runner: a judge for llm-rubric, and a context for a `run:` check's process.</summary>
/// <param name="Judge">The judge for a model alias (null: the workspace's judge); null when the engine has no LLM runner.</param>
/// <param name="ScriptContext">An agent context for a check's process in the given folder: the agent's environment and isolation (in server mode its workspace user and a cgroup).</param>
internal sealed record CheckTools(Func<string?, IJudge?> Judge, Func<string, AgentContext> ScriptContext);

/// <summary>Runs an agent's checks on the output of an attempt that succeeded.</summary>
internal static class CheckRunner
{
    /// <summary>What of a failed `run:` check's own output becomes its message (and so the retry's {{ feedback }}).</summary>
    private const int MessageChars = 1000;

    public static async Task<IReadOnlyList<CheckOutcome>> RunAsync(
        IReadOnlyList<QualityCheck> checks,
        AgentContext context,
        AgentResult result,
        TimeSpan took,
        CheckTools tools,
        CancellationToken cancellationToken
    )
    {
        // The output file is the agent user's: read without following a link, never blocking on a FIFO.
        var output = File.Exists(context.OutputFile)
            ? System.Text.Encoding.UTF8.GetString(SafePaths.ReadAgentFile(context.OutputFile, 16 << 20))
            : "";
        var subject = new AssertionSubject(output, result.CostUsd, took.TotalMilliseconds);
        var outcomes = new List<CheckOutcome>(checks.Count);
        for (var i = 0; i < checks.Count; i++)
        {
            var check = checks[i];
            if (check.Assertion is { } assertion)
            {
                var judge = assertion.Kind == AssertionKind.LlmRubric ? tools.Judge(assertion.Provider) : null;
                var verdict = await AssertionEvaluator.EvaluateAsync(assertion, subject, judge, cancellationToken);
                outcomes.Add(new CheckOutcome(check, verdict.Pass, verdict.Score, verdict.Reason));
            }
            else if (check.Script is { } script)
                outcomes.Add(await RunScriptAsync(check, script, i + 1, output, context, tools, cancellationToken));
            else
                outcomes.Add(Length(check, output.Length));
        }
        return outcomes;
    }

    private static CheckOutcome Length(QualityCheck check, int length)
    {
        var tooShort = check.MinLength is { } min && length < min;
        var tooLong = check.MaxLength is { } max && length > max;
        return new CheckOutcome(
            check,
            !tooShort && !tooLong,
            tooShort || tooLong ? 0 : 1,
            tooShort ? $"output is {length} characters, fewer than {check.MinLength}"
                : tooLong ? $"output is {length} characters, more than {check.MaxLength}"
                : $"output is {length} characters"
        );
    }

    /// <summary>
    /// A `run:` check: the script runs the way a `run:` agent does (ProcessAgent: bash -eo pipefail, its own
    /// process group, the agent's environment, under the server the workspace user in a cgroup of its own) in
    /// agents/AGENT/checks/N/, with the output to judge in the file $BATON_CHECK_INPUT (also $1). Exit 0 passes;
    /// otherwise what it printed on stdout (else its exit and stderr) is the message.
    /// </summary>
    private static async Task<CheckOutcome> RunScriptAsync(
        QualityCheck check,
        string script,
        int number,
        string output,
        AgentContext agent,
        CheckTools tools,
        CancellationToken cancellationToken
    )
    {
        var folder = SafePaths.EnsureDirectory(
            agent.Run.Path,
            Path.Combine(
                "agents",
                agent.Agent.Name,
                "checks",
                number.ToString(System.Globalization.CultureInfo.InvariantCulture)
            )
        );
        var input = Path.Combine(folder, "input");
        var scriptFile = Path.Combine(folder, "check.sh");
        Libc.CreateAndWrite(input, System.Text.Encoding.UTF8.GetBytes(output), mode: 0b110_100_100).Dispose();
        Libc.CreateAndWrite(scriptFile, System.Text.Encoding.UTF8.GetBytes(script), mode: 0b110_100_100).Dispose();
        var context = tools.ScriptContext(folder);
        context = context with
        {
            Environment = new Dictionary<string, string>(context.Environment, StringComparer.Ordinal)
            {
                ["BATON_CHECK_INPUT"] = input,
            },
        };
        var ran = await ProcessAgent.RunAsync(
            context,
            "bash",
            ["--noprofile", "--norc", "-eo", "pipefail", scriptFile, input],
            cancellationToken
        );
        if (ran.Succeeded)
            return new CheckOutcome(check, true, 1, "the check script exited 0");
        var said = File.Exists(context.StdoutFile)
            ? System.Text.Encoding.UTF8.GetString(SafePaths.ReadAgentFile(context.StdoutFile, MessageChars)).Trim()
            : "";
        if (said.Length > MessageChars)
            said = said[..MessageChars] + "…";
        return new CheckOutcome(check, false, 0, said.Length > 0 ? said : $"the check script {ran.Message}");
    }
}
