using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Baton.Server.Hosting;

/// <summary>
/// /metrics counts every workspace's runs, so it is the operator's, not any tenant's: it needs the
/// token in DATA/server/metrics.token (made at first start, 0600 in the root-only server/ folder;
/// point a Prometheus `bearer_token_file` at it). A workspace token is refused with 403 and the
/// reason; no token is 401.
/// </summary>
public static class MetricsAccess
{
    public static string TokenFile(DataRoot data) => Path.Combine(data.ServerPath, "metrics.token");

    /// <summary>The operator's metrics token, made on first use.</summary>
    public static string EnsureToken(DataRoot data)
    {
        var file = TokenFile(data);
        if (File.Exists(file))
            return File.ReadAllText(file).Trim();
        var token = "bm_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var temp = file + ".new";
        File.WriteAllText(temp, token + "\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temp, file, overwrite: false);
        return token;
    }

    /// <summary>
    /// Put in front of the Prometheus exporter: lets the operator's token through, answers anyone else
    /// (401/403 with the reason) and ends the request there.
    /// </summary>
    public static async Task Guard(HttpContext http, DataRoot data, Auth.TokenStore tokens, Func<Task> next)
    {
        var auth = http.Request.Headers.Authorization.ToString();
        var sent = auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? auth[7..].Trim() : "";
        if (
            CryptographicOperations.FixedTimeEquals(
                Encoding.UTF8.GetBytes(sent),
                Encoding.UTF8.GetBytes(EnsureToken(data))
            )
        )
        {
            await next();
            return;
        }
        if (sent.Length > 0 && tokens.Find(sent) is not null)
            await Problems.Write(
                http,
                StatusCodes.Status403Forbidden,
                "Forbidden",
                "/metrics counts every workspace's runs: it takes the operator's token (DATA/server/metrics.token on the server), not a workspace's"
            );
        else
            await Problems.Write(
                http,
                StatusCodes.Status401Unauthorized,
                "Not authenticated",
                "send 'Authorization: Bearer <the operator's token in DATA/server/metrics.token>'"
            );
    }
}
