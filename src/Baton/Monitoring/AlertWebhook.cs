using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using Baton.Workspaces;

namespace Baton.Monitoring;

/// <summary>
/// POSTs an alert to `alerts.webhook`, signed like GitHub's webhooks: header
/// `X-Baton-Signature-256: sha256=&lt;hex HMAC-SHA256 of the body&gt;` with the workspace's signing key
/// (derived from the master key, SecretStore.DerivedKey: never a file in the workspace; `baton alerts
/// --signing-key` prints it for the receiver). The body is the alert's JSON object, or with
/// `alerts.format: slack` a Slack incoming-webhook message (`{"text": …}`). Tried 3 times with 1 s, 2 s
/// backoff; a failure is a warning, never a failed run.
/// </summary>
public static class AlertWebhook
{
    public const string SignatureHeader = "X-Baton-Signature-256";

    /// <exception cref="Secrets.SecretStoreException">The master key cannot be read.</exception>
    public static string SigningKey(Workspace workspace) =>
        Convert.ToHexStringLower(workspace.Secrets().DerivedKey("alerts-webhook"));

    public static string Sign(string key, byte[] body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key), body));

    /// <summary>What is POSTed: the alert's JSON, or for Slack `{"text": "*Baton alert* (type, workspace) message"}`.</summary>
    public static byte[] Body(Alert alert, string format, string workspaceName)
    {
        if (format != "slack")
            return alert.ToJson(line: false);
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("text", $"*Baton alert: {alert.Type}* (workspace {workspaceName})\n{alert.Message}");
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <returns>Null when delivered, else why not.</returns>
    /// <param name="allowPrivate">May reach loopback and private addresses (Notifications.WebhookHttp; a server's operator decides).</param>
    public static async Task<string?> SendAsync(
        Workspace workspace,
        Alert alert,
        TimeSpan retryDelay,
        CancellationToken cancellationToken = default,
        bool allowPrivate = true
    )
    {
        var alerts = workspace.Config.Alerts;
        if (alerts.Webhook is not { } url)
            return null;
        var body = Body(alert, alerts.WebhookFormat, Path.GetFileName(workspace.Root));
        string signature;
        try
        {
            signature = Sign(SigningKey(workspace), body);
        }
        catch (Exception e) when (e is Secrets.SecretStoreException or IOException or UnauthorizedAccessException)
        {
            return $"alerts webhook not sent: no signing key ({e.Message})";
        }
        var tries = await Notifications.SignedPost.SendAsync(
            Notifications.WebhookHttp.For(allowPrivate),
            url,
            body,
            signature,
            alert.Type,
            retryDelay,
            cancellationToken
        );
        return Notifications.SignedPost.Delivered(tries) ? null
            : tries[^1].Status is { } status ? $"alerts webhook answered {status}"
            : $"alerts webhook failed: {tries[^1].Error}";
    }
}
