using System.Security.Cryptography;
using System.Text;

namespace Baton.Server.Triggers;

/// <summary>GitHub's webhook signature: `X-Hub-Signature-256: sha256=HEX(HMAC-SHA256(secret, raw body))`.</summary>
public static class WebhookSignature
{
    public const string Header = "X-Hub-Signature-256";

    public static string Sign(string secret, ReadOnlySpan<byte> body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    /// <summary>Compared in constant time, so how long a refusal takes says nothing about how close a guess was.</summary>
    public static bool Matches(string secret, ReadOnlySpan<byte> body, string? header)
    {
        if (header is null || !header.StartsWith("sha256=", StringComparison.Ordinal) || header.Length != 7 + 64)
            return false;
        byte[] given;
        try
        {
            given = Convert.FromHexString(header.AsSpan(7));
        }
        catch (FormatException)
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(
            HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body),
            given
        );
    }
}
