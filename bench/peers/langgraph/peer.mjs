// LangGraph.js (@langchain/langgraph) doing Baton's workloads, for bench/peers/run.
// Each mode prints one line `KEY=VALUE ...`; the script takes medians over fresh processes.
//   w1 [STEPS]        STEPS sequential no-op nodes in one graph, MemorySaver checkpoints: µs per step
//   w2 [RUNS] [URL]   RUNS concurrent invocations of prep → llm → finish; llm is an HTTP POST to URL's
//                     /chat/completions (the fake OpenAI-wire server) or, without URL, a 1 s timer
//   w3 DIR [RUNS]     RUNS invocations of draft → review (interrupt(): a human's answer) → publish, checkpointed in
//                     a SQLite file in DIR (SqliteSaver): time until all wait at the review, RSS while they wait,
//                     bytes on disk per run, then every run resumed with Command({ resume: "approve" }): time until
//                     all ended
//   w4                a one-node graph, for the whole process's wall time (measured outside)
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { Annotation, Command, END, interrupt, MemorySaver, START, StateGraph } from "@langchain/langgraph";
import { SqliteSaver } from "@langchain/langgraph-checkpoint-sqlite";

const State = Annotation.Root({ n: Annotation() });

function chain(names, nodeFor, checkpointer = new MemorySaver()) {
  const graph = new StateGraph(State);
  for (const name of names) graph.addNode(name, nodeFor(name));
  graph.addEdge(START, names[0]);
  for (let i = 1; i < names.length; i++) graph.addEdge(names[i - 1], names[i]);
  graph.addEdge(names[names.length - 1], END);
  return graph.compile({ checkpointer });
}

let thread = 0;
const invoke = (graph, n = 0) =>
  graph.invoke({ n }, { configurable: { thread_id: `t${thread++}` }, recursionLimit: 100000 });

async function w1(steps) {
  const names = Array.from({ length: steps }, (_, i) => `step${i}`);
  const graph = chain(names, () => (s) => ({ n: s.n + 1 }));
  await invoke(graph); // warm-up: JIT and first-use costs off the clock
  const start = process.hrtime.bigint();
  const out = await invoke(graph);
  const us = Number(process.hrtime.bigint() - start) / 1000;
  if (out.n !== steps) throw new Error(`ran ${out.n} of ${steps} steps`);
  console.log(`us_per_step=${(us / steps).toFixed(1)}`);
}

async function w2(runs, url) {
  const body = JSON.stringify({ model: "fake", messages: [{ role: "user", content: "noop" }] });
  const llm = url
    ? async () => {
        const response = await fetch(url.replace(/\/$/, "") + "/chat/completions", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body,
        });
        if (!response.ok) throw new Error(`llm answered ${response.status}`);
        await response.arrayBuffer();
      }
    : () => new Promise((resolve) => setTimeout(resolve, 1000));
  const nodes = {
    prep: (s) => ({ n: s.n }),
    llm: async (s) => {
      await llm();
      return { n: s.n + 1 };
    },
    finish: (s) => ({ n: s.n }),
  };
  const graph = chain(Object.keys(nodes), (name) => nodes[name]);
  let peak = process.memoryUsage.rss();
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 10);
  const start = process.hrtime.bigint();
  const outs = await Promise.all(Array.from({ length: runs }, (_, i) => invoke(graph, i)));
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage.rss(), vmHwm());
  if (outs.some((o, i) => o.n !== i + 1)) throw new Error("a run did not finish");
  console.log(`wall_s=${wall.toFixed(3)} peak_rss_mb=${(peak / 1048576).toFixed(1)}`);
}

async function w3(dir, runs) {
  const saver = SqliteSaver.fromConnString(join(dir, "checkpoints.sqlite"));
  const nodes = {
    draft: (s) => ({ n: s.n + 1 }),
    review: (s) => ({ n: interrupt({ draft: s.n }) === "approve" ? s.n : -1 }),
    publish: (s) => ({ n: s.n + 1 }),
  };
  const graph = chain(Object.keys(nodes), (name) => nodes[name], saver);
  const config = (id) => ({ configurable: { thread_id: id }, recursionLimit: 100 });
  const pause = async (id) => {
    const out = await graph.invoke({ n: 0 }, config(id));
    if (!out.__interrupt__?.length) throw new Error(`${id} did not wait for its review`);
  };
  const approve = async (id) => {
    const out = await graph.invoke(new Command({ resume: "approve" }), config(id));
    if (out.n !== 2) throw new Error(`${id} ended with n=${out.n}`);
  };
  const warm = Array.from({ length: 100 }, (_, i) => `warm${i}`); // JIT and first use off the clock
  await Promise.all(warm.map(pause));
  await Promise.all(warm.map(approve));
  const ids = Array.from({ length: runs }, (_, i) => `t${i}`);
  const before = diskBytes(dir);
  let start = process.hrtime.bigint();
  await Promise.all(ids.map(pause));
  const pauseS = Number(process.hrtime.bigint() - start) / 1e9;
  const diskKb = (diskBytes(dir) - before) / 1024 / runs;
  globalThis.gc?.();
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const pausedRss = process.memoryUsage.rss() / 1048576;
  start = process.hrtime.bigint();
  await Promise.all(ids.map(approve));
  const approveS = Number(process.hrtime.bigint() - start) / 1e9;
  console.log(
    `pause_s=${pauseS.toFixed(3)} paused_rss_mb=${pausedRss.toFixed(1)} approve_s=${approveS.toFixed(3)} disk_kb_per_run=${diskKb.toFixed(2)}`,
  );
}

// The SQLite file and its write-ahead log.
const diskBytes = (dir) => readdirSync(dir).reduce((sum, name) => sum + statSync(join(dir, name)).size, 0);

async function w4() {
  const graph = chain(["step"], () => (s) => ({ n: s.n + 1 }));
  await invoke(graph);
}

// The kernel's high-water mark (/proc/self/status VmHWM), as the .NET peer reads it.
function vmHwm() {
  const line = readFileSync("/proc/self/status", "utf8").split("\n").find((l) => l.startsWith("VmHWM:"));
  return Number(line.split(/\s+/)[1]) * 1024;
}

const [mode, a, b] = process.argv.slice(2);
if (mode === "w1") await w1(Number(a ?? 200));
else if (mode === "w3") await w3(a, Number(b ?? 1000));
else if (mode === "w2") await w2(Number(a ?? 1000), b);
else if (mode === "w4") await w4();
else {
  console.error("usage: node peer.mjs w1 [STEPS] | w2 [RUNS] [LLM_BASE_URL] | w3 DIR [RUNS] | w4");
  process.exit(2);
}
