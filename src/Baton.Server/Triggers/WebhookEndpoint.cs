using System.Text.Json;
using Baton.Chains;
using Baton.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Baton.Server.Triggers;

/// <summary>
/// `POST /hooks/{workspace}/{chain}`: a chain's `webhook:` trigger. No bearer token — the caller signs the
/// raw body with the workspace secret the trigger names (GitHub's X-Hub-Signature-256), so a GitHub webhook
/// works as is. A missing or wrong signature answers one and the same 401 whether or not the workspace and
/// chain exist, so nobody without a secret learns which names exist; only a body signed with one of the
/// workspace's webhook secrets may learn that its chain is not there (404) (docs/server.md, Webhooks).
/// </summary>
public static class WebhookEndpoint
{
    /// <summary>Bodies above this answer 413: GitHub's own payloads are capped at 25 MB, but few triggers need more than a MiB of JSON.</summary>
    public const int MaxBodyBytes = 1 << 20;

    private const string Unsigned =
        "the X-Hub-Signature-256 header is missing or does not match: sign the raw body with HMAC-SHA256 under the workspace secret the chain's 'webhook:' trigger names ('sha256=' and the hex digest)";

    private const string NoWebhook =
        "the signature is good, but this workspace has no chain of that name with a 'webhook:' trigger signed by that secret";

    public static void MapWebhooks(this IEndpointRouteBuilder app, DataRoot data)
    {
        app.MapPost(
            "/hooks/{ws}/{chain}",
            async (
                string ws,
                string chain,
                HttpContext http,
                RunHost host,
                TriggerStarter starter,
                WebhookDeliveries deliveries,
                ILogger<TriggerStarter> logger
            ) =>
            {
                var body = await ReadBody(http.Request);
                if (body is null)
                    return Problems.Result(
                        StatusCodes.Status413PayloadTooLarge,
                        "Payload too large",
                        $"a webhook body may be at most {MaxBodyBytes:N0} bytes"
                    );
                var signature = http.Request.Headers[WebhookSignature.Header].ToString();
                var hooks = Hooks(data, ws);
                var found = hooks.FirstOrDefault(h => Path.GetFileNameWithoutExtension(h.File) == chain);
                if (
                    found is not WorkspaceChains.Entry entry
                    || Verified(host, ws, entry.Chain!, body, signature, logger) is not { } trigger
                )
                    return hooks.Any(h => Verified(host, ws, h.Chain!, body, signature, logger) is not null)
                        ? Problems.NotFound(NoWebhook)
                        : Problems.Result(StatusCodes.Status401Unauthorized, "Unauthorized", Unsigned);
                JsonElement json;
                try
                {
                    json =
                        body.Length == 0 ? JsonDocument.Parse("{}").RootElement : JsonDocument.Parse(body).RootElement;
                }
                catch (JsonException e)
                {
                    return Problems.BadRequest($"the body is not JSON ({e.Message}); a webhook takes a JSON body");
                }
                var delivery = DeliveryId(http.Request);
                async Task<string?> Start() =>
                    (
                        await starter.StartAsync(
                            ws,
                            entry,
                            trigger,
                            reference => WebhookBody.Resolve(json, reference),
                            delivery is null ? "webhook" : $"webhook delivery {delivery}"
                        )
                    )?.Id;
                var (run, replayed) = delivery is null
                    ? (await Start(), false)
                    : await deliveries.OnceAsync(ws, $"{chain}/{delivery}", Start);
                if (run is null)
                    return Problems.Result(
                        StatusCodes.Status422UnprocessableEntity,
                        "Not started",
                        "the chain could not start (its inputs or the workspace's configuration); the workspace's owner finds why in the server log"
                    );
                return replayed
                    ? Results.Ok(new Api.RunsApi.Started(run, Replayed: true))
                    : Results.Created(
                        $"/api/workspaces/{ws}/runs/{run}",
                        new Api.RunsApi.Started(run, Replayed: false)
                    );
            }
        );
    }

    /// <summary>The workspace's valid chains with a webhook trigger; none when the workspace does not exist.</summary>
    private static List<WorkspaceChains.Entry> Hooks(DataRoot data, string ws) =>
        !DataRoot.WorkspaceNames_IsValid(ws) || !data.WorkspaceExists(ws)
            ? []
            :
            [
                .. WorkspaceChains
                    .Load(data.WorkspacePath(ws))
                    .Where(e => e.Chain is { } c && c.Triggers.OfType<WebhookTrigger>().Any()),
            ];

    /// <summary>The chain's webhook trigger whose secret signed this body, if one did.</summary>
    private static WebhookTrigger? Verified(
        RunHost host,
        string ws,
        Chain chain,
        byte[] body,
        string signature,
        ILogger logger
    )
    {
        foreach (var trigger in chain.Triggers.OfType<WebhookTrigger>())
        {
            string? secret;
            try
            {
                secret = host.WorkspaceOf(ws).Secrets().Get(trigger.Secret);
            }
            catch (Exception e) when (e is Secrets.SecretStoreException or IOException or Runs.UnsafePathException)
            {
                logger.LogWarning("{Workspace}: webhook of {Chain}: {Reason}", ws, chain.Name, e.Message);
                continue;
            }
            if (secret is { Length: > 0 } && WebhookSignature.Matches(secret, body, signature))
                return trigger;
        }
        return null;
    }

    private static string? DeliveryId(HttpRequest request)
    {
        var id = request.Headers["X-GitHub-Delivery"].ToString();
        if (id.Length == 0)
            id = request.Headers["X-Baton-Delivery"].ToString();
        return id.Length is > 0 and <= 200 ? id : null;
    }

    /// <summary>The raw body (the signature covers its exact bytes), or null when it is over the limit.</summary>
    private static async Task<byte[]?> ReadBody(HttpRequest request)
    {
        if (request.ContentLength > MaxBodyBytes)
            return null;
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
                return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
