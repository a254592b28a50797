using System.CommandLine;
using System.Net.Http.Headers;
using System.Text.Json;
using Baton.Prompts;

namespace Baton.Cli.Commands;

/// <summary>
/// `baton promote CHAIN [--rollback]`: opens a promotion of the chain's staged files on a server (or
/// rolls back the last one). The one command that talks to a server rather than a folder: the server
/// from --server or BATON_SERVER, the token from BATON_TOKEN only (a token on the command line would
/// show in `ps` and the shell's history), its workspace the one the token belongs to.
/// </summary>
public static class PromoteCommand
{
    public static Command Create()
    {
        var chainArgument = new Argument<string>("chain") { Description = "The chain's name on the server" };
        var rollback = new Option<bool>("--rollback")
        {
            Description = "Put back the production files the last approved promotion replaced",
        };
        var server = new Option<string?>("--server")
        {
            Description = "The server's URL (default: $BATON_SERVER); the token comes from $BATON_TOKEN",
        };
        var json = new Option<bool>("--json") { Description = "The server's answer as JSON" };
        var command = new Command(
            "promote",
            "Open a promotion of a chain's staged changes on a server (diff and test results, for someone else to approve), or --rollback"
        )
        {
            Arguments = { chainArgument },
            Options = { rollback, server, json },
        };
        command.SetAction(
            (parse, cancel) =>
                CommandAction.Run(async () =>
                {
                    var url = parse.GetValue(server) ?? Environment.GetEnvironmentVariable("BATON_SERVER");
                    if (string.IsNullOrEmpty(url))
                        throw new UsageException("which server? pass --server URL or set BATON_SERVER");
                    var token = Environment.GetEnvironmentVariable("BATON_TOKEN");
                    if (string.IsNullOrEmpty(token))
                        throw new UsageException("set BATON_TOKEN to an editor's API token of the workspace");
                    using var http = new HttpClient
                    {
                        BaseAddress = new Uri(url),
                        Timeout = TimeSpan.FromMinutes(30), // the staged version's tests run before the answer
                    };
                    http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
                    var workspaces = await Send(http, HttpMethod.Get, "/api/workspaces", cancel);
                    var ws = workspaces.EnumerateArray().Select(w => w.GetProperty("name").GetString()).FirstOrDefault()
                        ?? throw new UsageException("the token sees no workspace on this server");
                    var chain = parse.GetValue(chainArgument)!;
                    var path = parse.GetValue(rollback)
                        ? $"/api/workspaces/{ws}/chains/{Uri.EscapeDataString(chain)}/rollback"
                        : $"/api/workspaces/{ws}/chains/{Uri.EscapeDataString(chain)}/promotions";
                    var answer = await Send(http, HttpMethod.Post, path, cancel);
                    if (parse.GetValue(json))
                    {
                        Console.WriteLine(answer.ToString());
                        return
                            parse.GetValue(rollback) || answer.GetProperty("tests").GetProperty("passed").GetBoolean()
                            ? ExitCodes.Succeeded
                            : ExitCodes.Failed;
                    }
                    return parse.GetValue(rollback) ? PrintRollback(chain, answer) : PrintPromotion(ws, chain, answer);
                })
        );
        return command;
    }

    private static int PrintRollback(string chain, JsonElement answer)
    {
        Console.WriteLine(
            $"{chain}: promotion {answer.GetProperty("rolled_back").GetString()} rolled back; restored {string.Join(", ", answer.GetProperty("files").EnumerateArray().Select(f => f.GetString()))}"
        );
        return ExitCodes.Succeeded;
    }

    /// <summary>Exit 0 when the tests passed, 1 when they failed (the promotion is open either way: an owner may override).</summary>
    private static int PrintPromotion(string ws, string chain, JsonElement promotion)
    {
        var id = promotion.GetProperty("id").GetString();
        var tests = promotion.GetProperty("tests");
        Console.WriteLine($"promotion {id} of {chain} is open for review (the inbox of '{ws}')");
        Console.WriteLine($"tests: {tests.GetProperty("summary").GetString()}");
        foreach (var c in tests.GetProperty("cases").EnumerateArray().Where(c => !c.GetProperty("passed").GetBoolean()))
        {
            var why = c.GetProperty("problem").GetString()
                ?? string.Join("; ", c.GetProperty("failures").EnumerateArray().Select(f => f.GetString()));
            Console.WriteLine($"  FAIL {c.GetProperty("description").GetString()}: {why}");
        }
        foreach (var file in promotion.GetProperty("files").EnumerateArray())
        {
            var diff = file.GetProperty("diff").GetString()!;
            Console.Write(Console.IsOutputRedirected ? diff : PromptDiff.Colour(diff));
        }
        return tests.GetProperty("passed").GetBoolean() ? ExitCodes.Succeeded : ExitCodes.Failed;
    }

    /// <summary>The answer's JSON; a refusal is the server's own words (problem+json `detail`), exit 2.</summary>
    private static async Task<JsonElement> Send(
        HttpClient http,
        HttpMethod method,
        string path,
        CancellationToken cancel
    )
    {
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(new HttpRequestMessage(method, path), cancel);
        }
        catch (HttpRequestException e)
        {
            throw new UsageException($"cannot reach {http.BaseAddress}: {e.Message}");
        }
        var text = await response.Content.ReadAsStringAsync(cancel);
        if (response.IsSuccessStatusCode)
            return JsonDocument.Parse(text).RootElement.Clone();
        string detail;
        try
        {
            detail = JsonDocument.Parse(text).RootElement.GetProperty("detail").GetString() ?? text;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            detail = text;
        }
        throw new UsageException($"{(int)response.StatusCode} {response.ReasonPhrase}: {detail}");
    }
}
