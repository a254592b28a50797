using System.Net.Http.Headers;

namespace Baton.Notifications;

/// <summary>One try of one webhook delivery: its HTTP status, or why there was none.</summary>
public sealed record DeliveryAttempt(int Attempt, int? Status, string? Error);

/// <summary>
/// POSTs a JSON body signed like GitHub's webhooks (`X-Baton-Signature-256: sha256=…`, Monitoring.AlertWebhook's
/// signer and key), tried up to three times with doubling backoff. Shared by alerts and `notify:`.
/// </summary>
public static class SignedPost
{
    public const int Attempts = 3;

    /// <returns>Every try made, the last one the outcome: delivered when it has a 2xx status.</returns>
    public static async Task<IReadOnlyList<DeliveryAttempt>> SendAsync(
        HttpClient http,
        Uri url,
        byte[] body,
        string signature,
        string eventName,
        TimeSpan retryDelay,
        CancellationToken cancellationToken = default
    )
    {
        var tries = new List<DeliveryAttempt>();
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            if (attempt > 1)
                await Task.Delay(retryDelay * (1 << (attempt - 2)), cancellationToken);
            try
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
                request.Headers.Add(Monitoring.AlertWebhook.SignatureHeader, signature);
                request.Headers.Add("X-Baton-Event", eventName);
                using var response = await http.SendAsync(request, cancellationToken);
                tries.Add(new DeliveryAttempt(attempt, (int)response.StatusCode, null));
                if (response.IsSuccessStatusCode)
                    break;
            }
            catch (HttpRequestException e) when (e.InnerException is AddressRefusedException refused)
            {
                tries.Add(new DeliveryAttempt(attempt, null, refused.Message));
                break;
            }
            catch (Exception e)
                when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                tries.Add(new DeliveryAttempt(attempt, null, e.Message));
            }
        }
        return tries;
    }

    public static bool Delivered(IReadOnlyList<DeliveryAttempt> tries) =>
        tries.Count > 0 && tries[^1].Status is >= 200 and < 300;
}
