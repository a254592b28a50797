using System.Text.Json;
using System.Text.Json.Serialization;

namespace Baton.Monitoring;

/// <summary>How the health report and alerts are written for `--json` and the API: snake_case, nulls left out.</summary>
public static class MonitoringJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
    };
}
