using System.CommandLine;
using Baton.Import;

namespace Baton.Cli.Commands;

/// <summary>`baton import mentiko FILE.json [-o FILE.yaml] [--library DIR]` (docs/import.md).</summary>
public static class ImportCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "The Mentiko chain (JSON)" };
        var output = new Option<string?>("--output", "-o") { Description = "Write the YAML here (default: stdout)" };
        var library = new Option<string?>("--library")
        {
            Description = "Folder of library agents that '$ref' names (NAME.json)",
        };
        var mentiko = new Command(
            "mentiko",
            "Convert a Mentiko chain (JSON) into Baton YAML; warns about every field dropped or changed in meaning"
        )
        {
            Arguments = { file },
            Options = { output, library },
        };
        mentiko.SetAction(
            (parse, _) =>
                CommandAction.Run(async () =>
                {
                    var path = parse.GetValue(file)!;
                    if (!File.Exists(path))
                        throw new UsageException($"{path}: no such file");
                    var result = MentikoImporter.Convert(
                        await File.ReadAllTextAsync(path),
                        Path.GetDirectoryName(Path.GetFullPath(path)),
                        parse.GetValue(library),
                        parse.GetValue(output)
                    );
                    foreach (var warning in result.Warnings)
                        Console.Error.WriteLine($"warning: {path}: {warning}");
                    if (parse.GetValue(output) is { } target)
                    {
                        // chains/ may not exist yet in a fresh folder (before, that was an unhandled exception)
                        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(target))!);
                        await File.WriteAllTextAsync(target, result.Yaml);
                        Console.Error.WriteLine($"wrote {target} ({result.Warnings.Count} warnings)");
                    }
                    else
                        Console.Write(result.Yaml);
                    return ExitCodes.Succeeded;
                })
        );
        return new Command("import", "Bring chains over from other tools") { Subcommands = { mentiko } };
    }
}
