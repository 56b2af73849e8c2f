// rollcall dashboard: polls the HTTP API of whichever instance served this page.
"use strict";

const $ = (id) => document.getElementById(id);
let selected = null;           // service whose rollout is shown
const charts = {};             // uPlot instances by element id

async function api(path) {
  const response = await fetch(path, { headers: { Accept: "application/json" } });
  const body = await response.json().catch(() => ({ error: response.statusText }));
  if (!response.ok) {
    throw new Error(body.error || `HTTP ${response.status}`);
  }
  return body;
}

function fmt(value, digits = 2) {
  if (value === null || value === undefined || Number.isNaN(value)) return "–";
  return Number(value).toLocaleString("en", { maximumFractionDigits: digits });
}

function text(el, value) { el.textContent = value; return el; }

function el(tag, cls, content) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (content !== undefined) node.textContent = content;
  return node;
}

/**
 * A line chart in element `id`, created once, then fed new data. Each series may name its own
 * y scale (`scale`), drawn on the right when it is not the first; `xRange` fixes the x axis.
 */
function chart(id, series, data, time, xRange) {
  const target = $(id);
  if (charts[id]) {
    charts[id].setData(data);
    return;
  }
  const scales = { x: { time, ...(xRange ? { range: () => xRange } : {}) } };
  const axes = [time ? {} : { incrs: [1, 2, 5, 10, 20, 50, 100] }];
  series.forEach((s, i) => {
    const scale = s.scale || "y";
    if (!scales[scale]) {
      scales[scale] = {};
      axes.push({ scale, size: 55, side: axes.length > 1 ? 1 : 3, label: s.axis });
    }
  });
  charts[id] = new uPlot({
    width: Math.max(260, target.clientWidth || 360), height: 180, scales, axes,
    series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.color, width: 2, scale: s.scale || "y",
      points: { show: true, size: 5 }, spanGaps: true }))],
  }, data, target);
}

// ---------------------------------------------------------------- rollouts

async function refreshRollouts() {
  const body = await api("/api/v1/rollouts");
  text($("served"), `served by ${body.servedBy}`);
  const list = $("rollouts");
  list.replaceChildren();
  const rollouts = body.rollouts || [];
  $("rollouts-empty").hidden = rollouts.length > 0;
  if (!selected && rollouts.length) selected = rollouts[0].service;
  for (const rollout of rollouts) {
    const button = el("button", rollout.service === selected ? "selected" : "");
    button.dataset.service = rollout.service;
    button.append(el("span", "", `${rollout.service} `), el("span", `badge ${rollout.status}`, rollout.status));
    button.onclick = () => { selected = rollout.service; refreshRollouts().catch(showError); };
    const item = el("li");
    item.append(button);
    list.append(item);
  }
  const current = rollouts.find((r) => r.service === selected);
  $("rollout-detail").hidden = !current;
  if (current) await showRollout(current);
}

async function showRollout(rollout) {
  text($("rollout-title"), `${rollout.service} · ${rollout.rolloutId}`);
  const status = $("rollout-status");
  status.className = `badge ${rollout.status}`;
  text(status, `${rollout.status} · ${rollout.decision}`);
  text($("rollout-reason"), rollout.latestVerdict ? rollout.latestVerdict.reason : "waiting for the first window to close…");
  const live = rollout.window;
  text($("live-window"), live
    ? `window ${live.index} collecting: canary ${live.canary.requests} requests, p95 ${fmt(live.canary.p95, 0)} ms, `
      + `errors ${fmt(100 * (live.canary.errorRate || 0), 1)} % · baseline ${live.baseline.requests} requests, `
      + `p95 ${fmt(live.baseline.p95, 0)} ms, errors ${fmt(100 * (live.baseline.errorRate || 0), 1)} %`
    : "");

  const history = await api(`/api/v1/rollouts/${encodeURIComponent(rollout.service)}/verdicts?limit=200`);
  const verdicts = history.verdicts.filter((v) => v.rolloutId === rollout.rolloutId);
  const timeline = $("timeline");
  timeline.replaceChildren(...verdicts.map((v) => {
    const chip = el("li", `d-${v.decision}`, `${v.window}${v.early ? "●" : ""}`);
    chip.title = `window ${v.window}: ${v.decision} — ${v.reason}`;
    chip.dataset.decision = v.decision;
    return chip;
  }));

  const windows = verdicts.map((v) => v.window);
  const pick = (v, test) => (v.results || []).find((r) => test(r.slo)) || {};
  const latency = verdicts.map((v) => pick(v, (slo) => /^p\d/.test(slo)));
  const errors = verdicts.map((v) => pick(v, (slo) => slo.startsWith("error rate")));
  chart("latency-chart", [{ label: "canary", color: "#c62828" }, { label: "baseline", color: "#1565c0" }],
    [windows, latency.map((r) => r.canaryValue ?? null), latency.map((r) => r.baselineValue ?? null)], false);
  const percent = (value) => (value === null || value === undefined ? null : 100 * value);
  chart("error-chart", [{ label: "canary", color: "#c62828" }, { label: "baseline", color: "#1565c0" }],
    [windows, errors.map((r) => percent(r.canaryValue)), errors.map((r) => percent(r.baselineValue))], false);
}

// ---------------------------------------------------------------- series lookup

async function lookup(id) {
  $("series-error").hidden = true;
  try {
    const series = await api(`/api/v1/metrics/${encodeURIComponent(id)}`);
    const rows = [
      ["id", series.id], ["name", series.name], ["type", series.type], ["count", fmt(series.count, 0)],
      ["mean", fmt(series.mean)], ["min / max", `${fmt(series.min)} / ${fmt(series.max)}`], ["last", fmt(series.last)],
      ["error rate", series.errorRate === null ? "–" : `${fmt(100 * series.errorRate, 2)} %`],
      ["p50 / p90 / p95", ["p50", "p90", "p95"].map((q) => fmt(series.quantiles[q])).join(" / ")],
      ["p99 / p99.9", `${fmt(series.quantiles.p99)} / ${fmt(series.quantiles.p999)}`],
      ["last event", series.lastEventTime],
      ["served by", `${series.servedBy}${series.stale ? ` (standby, ${series.lagRecords} records behind)` : ""}`],
    ];
    $("series-table").tBodies[0].replaceChildren(...rows.map(([k, v]) => {
      const tr = el("tr");
      tr.append(el("th", "", k), el("td", "", String(v)));
      return tr;
    }));
    $("series-result").hidden = false;
    const to = new Date();
    const from = new Date(to.getTime() - 3600_000);
    const windows = await api(`/api/v1/metrics/${encodeURIComponent(id)}/windows?from=${from.toISOString()}&to=${to.toISOString()}`);
    const points = windows.windows;
    if (charts["series-chart"]) {
      charts["series-chart"].destroy(); // the x range moves with every lookup
      delete charts["series-chart"];
    }
    chart("series-chart", [{ label: "count", color: "#2e7d32", scale: "n", axis: "count" },
      { label: "p99 ms", color: "#c62828", scale: "ms", axis: "p99 ms" }],
    [points.map((w) => Date.parse(w.windowStart) / 1000), points.map((w) => w.count),
      points.map((w) => w.quantiles.p99)], true, [from.getTime() / 1000, to.getTime() / 1000]);
    history.replaceState(null, "", `#series=${encodeURIComponent(id)}`);
  } catch (e) {
    $("series-result").hidden = true;
    text($("series-error"), e.message).hidden = false;
  }
}

$("lookup").addEventListener("submit", (event) => {
  event.preventDefault();
  const id = $("series-id").value.trim();
  if (id) lookup(id);
});

// ---------------------------------------------------------------- instances

async function refreshInstances() {
  const body = await api("/api/v1/instances");
  $("instances").tBodies[0].replaceChildren(...body.instances.map((i) => {
    const tr = el("tr");
    tr.append(el("td", "", `${i.instance}${i.self ? " (this one)" : ""}`),
      el("td", "", i.activePartitions.join(", ") || "–"), el("td", "", i.standbyPartitions.join(", ") || "–"));
    return tr;
  }));
}

function showError(e) {
  text($("served"), `API unavailable: ${e.message}`);
}

async function tick() {
  try { await refreshRollouts(); } catch (e) { showError(e); }
  setTimeout(tick, 1000);
}

async function tickInstances() {
  try { await refreshInstances(); } catch (e) { showError(e); }
  setTimeout(tickInstances, 5000);
}

const initial = new URLSearchParams(location.hash.slice(1)).get("series");
if (initial) { $("series-id").value = initial; lookup(initial); }
tick();
tickInstances();
