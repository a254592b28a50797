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
    /// <param name="allowPrivate">May reach loopback and private addresses (Notifications.WebhookHttp; a server's operator decides).</param>
    public static async Task<string?> SendAsync(
        Uri url,
        string workspaceRoot,
        Alert alert,
        TimeSpan retryDelay,
        CancellationToken cancellationToken = default,
        bool allowPrivate = true
    )
    {
        var body = alert.ToJson(line: false);
        var tries = await Notifications.SignedPost.SendAsync(
            Notifications.WebhookHttp.For(allowPrivate),
            url,
            body,
            Sign(SigningKey(workspaceRoot), body),
            alert.Type,
            retryDelay,
            cancellationToken
        );
        return Notifications.SignedPost.Delivered(tries) ? null
            : tries[^1].Status is { } status ? $"alerts webhook answered {status}"
            : $"alerts webhook failed: {tries[^1].Error}";
    }
}
