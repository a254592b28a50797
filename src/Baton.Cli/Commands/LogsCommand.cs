using System.CommandLine;
using System.Text;
using Baton.Events;
using Baton.Runs;

namespace Baton.Cli.Commands;

public static class LogsCommand
{
    public static Command Create()
    {
        var runArgument = RunArgument.Create();
        var agentArgument = new Argument<string?>("agent")
        {
            Description = "Only this agent's logs",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var follow = new Option<bool>("--follow", "-f")
        {
            Description = "Keep printing new output until the run finishes",
        };
        var command = new Command("logs", "Agents' stdout and stderr, each line prefixed with its agent")
        {
            Arguments = { runArgument, agentArgument },
            Options = { follow },
        };
        command.SetAction(
            (parse, cancellationToken) =>
                CommandAction.Run(async () =>
                {
                    var workspace = CliWorkspace.Open(parse);
                    var run = RunFolder.Find(workspace.RunsRoot, parse.GetValue(runArgument)!);
                    var only = parse.GetValue(agentArgument);
                    var agents = RunEngine.LoadChain(run).Agents.Select(a => a.Name).ToList();
                    if (only is not null && !agents.Contains(only))
                        throw new UsageException(
                            $"run {run.Id} has no agent '{only}' (agents: {string.Join(", ", agents)})"
                        );
                    // A running agent's logs are masked on disk only when it exits: mask what is printed meanwhile.
                    var masker = Secrets.SecretMasker.ForWorkspace(workspace);
                    var tails = (only is null ? agents : [only])
                        .SelectMany(a =>
                            new[]
                            {
                                new Tail(a, Path.Combine(run.AgentDir(a), "stdout.log"), Console.Out, masker),
                                new Tail(a, Path.Combine(run.AgentDir(a), "stderr.log"), Console.Error, masker),
                            }
                        )
                        .ToList();
                    while (true)
                    {
                        var finished = RunState.Fold(EventReader.ReadAll(run.Events)).Finished is not null;
                        foreach (var tail in tails)
                            tail.Pump();
                        if (!parse.GetValue(follow) || finished || cancellationToken.IsCancellationRequested)
                            break;
                        try
                        {
                            await Task.Delay(200, cancellationToken);
                        }
                        catch (OperationCanceledException)
                        {
                            break;
                        }
                    }
                    foreach (var tail in tails)
                        tail.Flush();
                    return ExitCodes.Succeeded;
                })
        );
        return command;
    }

    /// <summary>Prints what was appended to a log since the last look, a line at a time; restarts when a new attempt truncates it.</summary>
    private sealed class Tail(string agent, string path, TextWriter writer, Secrets.SecretMasker masker)
    {
        private long _offset;
        private readonly StringBuilder _partial = new();

        public void Pump()
        {
            if (!File.Exists(path) || SafePaths.IsSymlink(path))
                return;
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            if (stream.Length < _offset)
                _offset = 0;
            stream.Seek(_offset, SeekOrigin.Begin);
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = stream.Read(buffer)) > 0)
            {
                _offset += read;
                _partial.Append(Encoding.UTF8.GetString(buffer, 0, read));
                var text = _partial.ToString();
                var lastNewline = text.LastIndexOf('\n');
                if (lastNewline < 0)
                    continue;
                foreach (var line in masker.Apply(text[..lastNewline]).Split('\n'))
                    writer.WriteLine($"{agent} | {line}");
                _partial.Clear().Append(text[(lastNewline + 1)..]);
            }
        }

        public void Flush()
        {
            if (_partial.Length > 0)
                writer.WriteLine($"{agent} | {masker.Apply(_partial.ToString())}");
            _partial.Clear();
        }
    }
}
