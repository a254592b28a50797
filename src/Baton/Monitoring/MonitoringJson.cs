using System.Text.Json;
using System.Text.Json.Serialization;
using Baton.Health;

namespace Baton.Monitoring;

/// <summary>How `baton health --json` writes the health report: snake_case, nulls left out (generated: no reflection).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true
)]
[JsonSerializable(typeof(HealthReport))]
public sealed partial class MonitoringJson : JsonSerializerContext;
