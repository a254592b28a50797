using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace Baton.Monitoring;

/// <summary>
/// POSTs an alert (its JSON line) to `alerts.webhook`, signed like GitHub's webhooks: header
/// `X-Baton-Signature-256: sha256=&lt;hex HMAC-SHA256 of the body&gt;` with the workspace's signing key
/// (.baton/alerts-webhook.key, made at first use, 0600; `baton alerts --signing-key` prints it for the
/// receiver). Tried 3 times with 1 s, 2 s backoff; a failure is a warning, never a failed run.
/// </summary>
public static class AlertWebhook
{
    public const string SignatureHeader = "X-Baton-Signature-256";
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    public static string KeyFile(string workspaceRoot) => Path.Combine(workspaceRoot, ".baton", "alerts-webhook.key");

    public static string SigningKey(string workspaceRoot)
    {
        var file = KeyFile(workspaceRoot);
        if (File.Exists(file))
            return File.ReadAllText(file).Trim();
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var temp = $"{file}.{Environment.ProcessId}.new";
        File.WriteAllText(temp, key + "\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        try
        {
            File.Move(temp, file, overwrite: false);
        }
        catch (IOException)
        {
            File.Delete(temp); // another process made it first: theirs is the key
        }
        return File.ReadAllText(file).Trim();
    }

    public static string Sign(string key, byte[] body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key), body));

    /// <returns>Null when delivered, else why not.</returns>
    public static async Task<string?> SendAsync(
        Uri url,
        string workspaceRoot,
        Alert alert,
        TimeSpan retryDelay,
        CancellationToken cancellationToken = default
    )
    {
        var body = alert.ToJson(line: false);
        var signature = Sign(SigningKey(workspaceRoot), body);
        string? problem = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            if (attempt > 0)
                await Task.Delay(retryDelay * (1 << (attempt - 1)), cancellationToken);
            try
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
                request.Headers.Add(SignatureHeader, signature);
                request.Headers.Add("X-Baton-Event", alert.Type);
                using var response = await Http.SendAsync(request, cancellationToken);
                if (response.IsSuccessStatusCode)
                    return null;
                problem = $"alerts webhook answered {(int)response.StatusCode}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                problem = $"alerts webhook failed: {e.Message}";
            }
        }
        return problem;
    }
}
