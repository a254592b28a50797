namespace Baton.Bench;

/// <summary>
/// One line of the report: a child metric, how to show it, its target, and its results.json key.
/// Scale converts the child's unit to the reported one.
/// </summary>
public sealed record Row(
    string Workload,
    string Metric,
    string Label,
    string Unit,
    double Scale,
    string? Target,
    Func<double, bool>? Meets,
    string? ResultKey
)
{
    public static IReadOnlyList<Row> All { get; } =
    [
        new(
            "W1",
            "handoff_us",
            "engine only (in-process fake runner): hand-off `a.done` → `b.started`",
            "ms",
            0.001,
            "≤ 0.1 ms",
            v => v <= 0.1,
            "w1_handoff_ms"
        ),
        new("W1", "per_agent_us", "engine only: whole run ÷ 200 agents", "ms", 0.001, null, null, null),
        new(
            "W1R",
            "shipped_per_agent_us",
            "`baton run` as shipped, real `prompt:` agents over HTTP: whole run ÷ 200",
            "µs",
            1,
            "≤ 150 µs",
            v => v <= 150,
            "w1_real_per_agent_us"
        ),
        new(
            "W1R",
            "per_agent_us",
            "the same in the bench's process (JIT build, the fake on the same thread pool): whole run ÷ 200",
            "µs",
            1,
            null,
            null,
            "w1_real_in_process_per_agent_us"
        ),
        new(
            "W1R",
            "fake_llm_us",
            "of which: the fake LLM's own round trip",
            "µs",
            1,
            null,
            null,
            "w1_real_fake_llm_us"
        ),
        new(
            "W1R",
            "per_agent_minus_fake_us",
            "as shipped, per agent without the fake's round trip",
            "µs",
            1,
            null,
            null,
            null
        ),
        new(
            "W1R",
            "cpu_us_per_agent",
            "in process, CPU per agent (the process's, fake included)",
            "µs",
            1,
            null,
            null,
            null
        ),
        new("W1R", "allocated_kb_per_agent", "in process, allocated per agent", "KB", 1, null, null, null),
        new(
            "W2S",
            "wall_s",
            "`baton serve`, default settings, HTTP LLM (1 s): 1,000 runs POSTed → all succeeded (warmed server)",
            "s",
            1,
            "≤ 1.3 s",
            v => v <= 1.3,
            "w2_serve_wall_s"
        ),
        new(
            "W2S",
            "cold_wall_s",
            "the first 1,000 after the server started",
            "s",
            1,
            null,
            null,
            "w2_serve_cold_wall_s"
        ),
        new("W2S", "cold_cpu_s", "the first 1,000: CPU the server used", "s", 1, null, null, null),
        new("W2S", "posted_s", "of which: the 1,000 POST /runs answered", "s", 1, null, null, null),
        new(
            "W2S",
            "serve_cpu_s",
            "warmed burst: CPU the server used (user + system)",
            "s",
            1,
            null,
            null,
            "w2_serve_cpu_s"
        ),
        new(
            "W2S",
            "serve_allocated_kb_per_run",
            "warmed burst: allocated by the server per run (its /metrics)",
            "KB",
            1,
            null,
            null,
            null
        ),
        new("W2S", "serve_gc0", "warmed burst: the server's gen0 collections", "", 1, null, null, null),
        new("W2S", "serve_gc1", "warmed burst: the server's gen1 collections", "", 1, null, null, null),
        new("W2S", "serve_gc2", "warmed burst: the server's gen2 collections", "", 1, null, null, null),
        new(
            "W2S",
            "serve_peak_rss_mb",
            "`baton serve` peak RSS",
            "MB",
            1,
            "≤ 110 MB",
            v => v <= 110,
            "w2_serve_peak_rss_mb"
        ),
        new(
            "W2T",
            "wall_s",
            "as W2S, the model over https (HTTP/2 where offered, as hosted APIs): wall (warmed server)",
            "s",
            1,
            null,
            null,
            "w2_tls_wall_s"
        ),
        new("W2T", "serve_cpu_s", "warmed burst: CPU the server used (user + system)", "s", 1, null, null, null),
        new(
            "W2T",
            "serve_allocated_kb_per_run",
            "warmed burst: allocated by the server per run (its /metrics)",
            "KB",
            1,
            null,
            null,
            null
        ),
        new("W2T", "serve_peak_rss_mb", "`baton serve` peak RSS", "MB", 1, null, null, "w2_tls_peak_rss_mb"),
        new(
            "W2",
            "wall_s",
            "engine only (in-process, fake runner): 1,000 runs, wall to all finished",
            "s",
            1,
            "≤ 1.25 s",
            v => v <= 1.25,
            "w2_wall_s"
        ),
        new("W2", "cold_wall_s", "the first 1,000 after the process started", "s", 1, null, null, "w2_cold_wall_s"),
        new("W2", "peak_rss_mb", "1,000 runs: peak RSS", "MB", 1, "≤ 120 MB", v => v <= 120, "w2_peak_rss_mb"),
        new("W3", "pause_s", "1,000 runs: time to all paused", "s", 1, "≤ 1 s", v => v <= 1, "w3_pause_s"),
        new("W3", "pause_posted_s", "of which: the 1,000 POST /runs answered", "s", 1, null, null, null),
        new(
            "W3",
            "paused_rss_mb",
            "RSS of `baton serve` holding them paused",
            "MB",
            1,
            "≤ 80 MB",
            v => v <= 80,
            "w3_paused_rss_mb"
        ),
        new("W3", "idle_rss_mb", "idle `baton serve` RSS", "MB", 1, "≤ 60 MB", v => v <= 60, "idle_serve_rss_mb"),
        new("W3", "paused_extra_rss_mb", "of which: over the same server idle", "MB", 1, "≤ 30 MB", v => v <= 30, null),
        new("W3", "resume_s", "approve all (HTTP) → all finished", "s", 1, "≤ 1 s", v => v <= 1, "w3_resume_s"),
        new(
            "W3S",
            "pause_s",
            "`baton serve`, default settings: 1,000 runs POSTed → all paused at the decision",
            "s",
            1,
            "≤ 1 s",
            v => v <= 1,
            "w3_serve_pause_s"
        ),
        new("W3S", "pause_posted_s", "of which: the 1,000 POST /runs answered", "s", 1, null, null, null),
        new("W3S", "pause_cpu_s", "CPU the server used to pause them", "s", 1, null, null, null),
        new(
            "W3S",
            "paused_rss_mb",
            "server RSS holding them paused",
            "MB",
            1,
            "≤ 90 MB",
            v => v <= 90,
            "w3_serve_paused_rss_mb"
        ),
        new("W3S", "idle_rss_mb", "the same server before the runs", "MB", 1, null, null, null),
        new("W3S", "resume_s", "approve all (HTTP) → all succeeded", "s", 1, "≤ 1 s", v => v <= 1, "w3_serve_resume_s"),
        new("W3S", "resume_cpu_s", "CPU the server used to finish them", "s", 1, null, null, null),
        new("W3S", "serve_peak_rss_mb", "server peak RSS", "MB", 1, null, null, null),
        new(
            "W3S",
            "disk_kb_per_run",
            "on disk per paused run (file lengths)",
            "KB",
            1,
            "≤ 12 KB",
            v => v <= 12,
            "w3_serve_disk_kb_per_run"
        ),
        new(
            "W3S",
            "disk_allocated_kb_per_run",
            "of which allocated (4 KB blocks, folders included)",
            "KB",
            1,
            null,
            null,
            null
        ),
        new("W3S", "files_per_run", "files per paused run", "files", 1, null, null, null),
        new(
            "W4",
            "cold_start_ms",
            "`baton run` 1 `run: \"true\"` agent, whole process",
            "ms",
            1,
            "≤ 150 ms",
            v => v <= 150,
            "w4_cold_start_ms"
        ),
        new(
            "W4",
            "prompt_ms",
            "`baton run` 1 offline `prompt:` agent, whole process",
            "ms",
            1,
            "≤ 150 ms",
            v => v <= 150,
            "w4_prompt_ms"
        ),
        new(
            "W4",
            "hello_ms",
            "`baton run examples/hello.yaml`, whole process",
            "ms",
            1,
            "≤ 200 ms",
            v => v <= 200,
            "w4_hello_ms"
        ),
        new(
            "W5",
            "overhead_ms",
            "overhead per agent over bare bash",
            "ms",
            1,
            "≤ 2 ms",
            v => v <= 2,
            "w5_bash_overhead_ms"
        ),
        new("W5", "per_agent_ms", "per `run: \"true\"` agent", "ms", 1, null, null, null),
        new("W5", "bare_bash_ms", "bare `bash -c true` spawn", "ms", 1, null, null, null),
        new(
            "W6",
            "events_per_s",
            "durable custom events per second",
            "/s",
            1,
            "≥ 3,000/s",
            v => v >= 3000,
            "w6_events_per_s"
        ),
        new("W6", "writer_events_per_s", "the 16 writers alone (InboxWriter acks)", "/s", 1, null, null, null),
        new(
            "W7",
            "validate_ms",
            "`baton validate`, 2,000 agents, whole process",
            "ms",
            1,
            "≤ 100 ms",
            v => v <= 100,
            "w7_validate_ms"
        ),
        new("W7", "validate_rss_mb", "of which: peak RSS", "MB", 1, "≤ 60 MB", v => v <= 60, "w7_validate_rss_mb"),
        new("W7", "in_process_2000_ms", "the same validation in-process, warm", "ms", 1, null, null, null),
        new("W7", "in_process_4000_ms", "in-process, warm, 4,000 agents", "ms", 1, null, null, null),
    ];
}
