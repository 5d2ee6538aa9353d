// eventwatch dashboard: one page over the HTTP API (/api/...), no framework, no network beyond the app.
// Charts: ECharts; map: Leaflet over local world-atlas boundaries (topojson-client); network: Cytoscape.
// Globals from the vendored UMD bundles: echarts, L, cytoscape, topojson.

const QUADS = {
  1: { label: "Verbal cooperation", color: "#92c5de" },
  2: { label: "Material cooperation", color: "#2166ac" },
  3: { label: "Verbal conflict", color: "#f4a582" },
  4: { label: "Material conflict", color: "#b2182b" },
};
const FILTERS = ["actor", "country", "type", "modality", "since", "until", "q"];
const PAGE = 500;
const QUANTITIES = 500; // reported counts drawn at most (the latest)
const SIGNAL_DYADS = 8; // dyads drawn in the conflict-cooperation chart
const SORT = "-date"; // newest first: the morning read starts with what happened last
const CHOROPLETH = ["#fee5d9", "#fcbba1", "#fc9272", "#fb6a4a", "#de2d26", "#a50f15"];
const MODALITY_PHRASE = {
  occurred: "occurred",
  ongoing: "ongoing",
  threatened: "threatened",
  intended: "intended",
  planned: "planned",
  hypothetical: "hypothetical (might happen)",
  denied: "denied (said not to have happened)",
};
// Reporting verbs are attribution cues but not hedges; what is left of the cues is the hedge.
const REPORTING_VERBS = new Set([
  "said", "says", "say", "told", "tells", "stated", "states", "announced", "announces", "remarked",
  "revealed", "added", "noted", "report", "reports", "reported", "according", "wrote", "quoted",
]);
const HIGHLIGHT_KINDS = ["evidence", "trigger", "source", "target", "date", "place"];
const TOKEN_KEY = "eventwatch.token";
const REVIEWER_KEY = "eventwatch.reviewer";

const $ = (sel, root = document) => root.querySelector(sel);

const state = {
  filters: {},
  events: [],
  nextCursor: null,
  total: 0,
  openEvent: null,
  countryNames: {}, // ISO alpha-3 -> name, from the world boundaries
};
const charts = {};
let world = null; // GeoJSON FeatureCollection with feature.properties.iso3
let map = null;
let mapLayers = null;
let network = null;
let refreshSeq = 0;

// ---------------------------------------------------------------- API

class ApiError extends Error {
  constructor(status, body) {
    const err = body && body.error ? body.error : null;
    super(err ? `${err.code}: ${err.message}` : `HTTP ${status}`);
    this.status = status;
    this.error = err;
  }
}

async function api(path, { params = {}, method = "GET", body = null, token = null } = {}) {
  const url = new URL(path, location.origin);
  for (const [key, value] of Object.entries(params)) {
    if (value !== "" && value !== null && value !== undefined) url.searchParams.set(key, value);
  }
  const headers = { Accept: "application/json" };
  if (body !== null) headers["Content-Type"] = "application/json";
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(url, { method, headers, body: body === null ? null : JSON.stringify(body) });
  const data = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

// ---------------------------------------------------------------- small helpers

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function setStatus(text, { error = false } = {}) {
  const status = $("#status");
  status.textContent = text;
  status.classList.toggle("error", error);
}

function actorNames(actors) {
  return (actors || []).map((a) => a.name).join(", ");
}

function eventDay(event) {
  return (event.date && event.date.value) || (event.published || "").slice(0, 10) || "";
}

function countryName(code) {
  return state.countryNames[code] || code;
}

function typeLabel(event) {
  return event.plover_mode ? `${event.plover_type} · ${event.plover_mode}` : event.plover_type;
}

/** "threatened, per an anonymous source"; "occurred, according to Maariv (media), hedged: allegedly". */
export function plainModality(event) {
  const modality = MODALITY_PHRASE[event.modality] || event.modality || "unknown modality";
  const a = event.attribution || { kind: "author" };
  const speaker = a.speaker && a.speaker.name;
  let who;
  switch (a.kind) {
    case "anonymous":
      who = "per an anonymous source";
      break;
    case "named":
      who = speaker ? `per ${speaker}` : "per a named source";
      break;
    case "media":
      who = `according to ${speaker || a.via || "a media outlet"} (media)`;
      break;
    case "organization":
      who = `according to ${speaker || "an organization"} (organization)`;
      break;
    default:
      who = event.source ? `as reported by ${event.source}` : "in the article's own voice";
  }
  if (a.via && a.kind !== "media") who += `, via ${a.via}`;
  let text = `${modality}, ${who}`;
  if (a.hedged) {
    const hedges = (a.cues || []).filter((cue) => !REPORTING_VERBS.has(String(cue).toLowerCase()));
    text += hedges.length ? `, hedged: ${hedges.join(", ")}` : ", hedged";
  }
  return text;
}

// ---------------------------------------------------------------- filters and the URL

function readFiltersFromForm() {
  const form = $("#filters");
  const filters = {};
  for (const name of FILTERS) {
    const value = form.elements[name].value.trim();
    if (value) filters[name] = value;
  }
  return filters;
}

function writeFiltersToForm(filters) {
  const form = $("#filters");
  for (const name of FILTERS) form.elements[name].value = filters[name] || "";
}

function readHash() {
  const params = new URLSearchParams(location.hash.slice(1));
  const filters = {};
  for (const name of FILTERS) if (params.get(name)) filters[name] = params.get(name);
  return { filters, event: params.get("event") };
}

function writeHash() {
  const params = new URLSearchParams(state.filters);
  if (state.openEvent) params.set("event", state.openEvent);
  const hash = params.toString();
  history.replaceState(null, "", hash ? `#${hash}` : location.pathname + location.search);
}

// ---------------------------------------------------------------- refresh

async function refresh() {
  const seq = ++refreshSeq;
  document.body.dataset.state = "loading";
  setStatus("Loading…");
  const results = await Promise.allSettled([loadEvents(), loadTimeline(), loadSignals(), loadQuantities()]);
  if (seq !== refreshSeq) return; // a newer refresh is running
  const failed = results.filter((r) => r.status === "rejected");
  if (failed.length) {
    const messages = failed.map((r) => r.reason.message);
    setStatus(`Could not load everything: ${messages.join("; ")}`, { error: true });
    document.body.dataset.state = "error";
    for (const r of failed) console.error(r.reason);
    return;
  }
  const filtered = Object.keys(state.filters).length ? " (filtered)" : "";
  setStatus(`${state.total} events${filtered}`);
  document.body.dataset.state = "ready";
}

async function loadEvents() {
  const page = await api("/api/events", { params: { ...state.filters, limit: PAGE, sort: SORT } });
  state.events = page.items;
  state.nextCursor = page.next_cursor;
  state.total = page.total ?? page.items.length;
  renderTable();
  renderMap();
  renderNetwork();
}

async function loadMore() {
  if (!state.nextCursor) return;
  const page = await api("/api/events", { params: { ...state.filters, limit: PAGE, sort: SORT, cursor: state.nextCursor } });
  state.events = state.events.concat(page.items);
  state.nextCursor = page.next_cursor;
  renderTable();
  renderMap();
  renderNetwork();
}

// ---------------------------------------------------------------- timeline

function addPeriod(date, by) {
  const d = new Date(date.getTime());
  if (by === "day") d.setUTCDate(d.getUTCDate() + 1);
  else if (by === "week") d.setUTCDate(d.getUTCDate() + 7);
  else d.setUTCMonth(d.getUTCMonth() + 1);
  return d;
}

/** Consecutive periods from the first to the last, so quiet days show as gaps, not as nothing. */
function fillPeriods(periods, by) {
  const sorted = [...new Set(periods)].sort();
  const iso = sorted.every((p) => /^\d{4}-\d{2}-\d{2}$/.test(p));
  if (!iso || sorted.length < 2) return sorted;
  const out = [];
  const last = new Date(`${sorted[sorted.length - 1]}T00:00:00Z`);
  for (let d = new Date(`${sorted[0]}T00:00:00Z`); d <= last && out.length < 2000; d = addPeriod(d, by)) {
    out.push(d.toISOString().slice(0, 10));
  }
  return sorted.every((p) => out.includes(p)) ? out : sorted;
}

function spanDays(periods) {
  const dates = periods.filter((p) => /^\d{4}-\d{2}-\d{2}/.test(p)).sort();
  if (dates.length < 2) return 0;
  return (Date.parse(dates[dates.length - 1].slice(0, 10)) - Date.parse(dates[0].slice(0, 10))) / 86400000;
}

async function loadTimeline() {
  let by = "day";
  let series = await api("/api/series", { params: { ...state.filters, by, group: "quad_class" } });
  const span = spanDays(series.items.map((i) => String(i.period)));
  if (span > 730) by = "month";
  else if (span > 120) by = "week";
  if (by !== "day") series = await api("/api/series", { params: { ...state.filters, by, group: "quad_class" } });
  renderTimeline(series.items, by);
}

function renderTimeline(items, by) {
  $("#h-timeline").textContent = `Events per ${by}, by quad class`;
  const node = $("#timeline");
  const periods = fillPeriods(items.map((i) => String(i.period)), by);
  const counts = {};
  let total = 0;
  for (const item of items) {
    const key = item.key === null || item.key === undefined ? "?" : String(item.key);
    counts[key] ??= {};
    counts[key][String(item.period)] = (counts[key][String(item.period)] || 0) + item.events;
    total += item.events;
  }
  node.dataset.events = String(total);
  node.dataset.periods = String(periods.length);
  const keys = Object.keys(counts).sort();
  const series = keys.map((key) => ({
    name: QUADS[key] ? QUADS[key].label : "Unclassified",
    type: "bar",
    stack: "events",
    itemStyle: { color: QUADS[key] ? QUADS[key].color : "#bbbbbb" },
    emphasis: { focus: "series" },
    data: periods.map((p) => counts[key][p] || 0),
  }));
  chart("timeline").setOption(
    {
      animation: false,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 32, bottom: periods.length > 40 ? 56 : 28 },
      xAxis: { type: "category", data: periods },
      yAxis: { type: "value", minInterval: 1, name: "events" },
      dataZoom: periods.length > 40 ? [{ type: "slider", height: 18, bottom: 6 }] : [],
      series,
      graphic: total ? [] : [{ type: "text", left: "center", top: "middle", style: { text: "No events match the filters", fill: "#5f6b73" } }],
    },
    { notMerge: true },
  );
}

// ---------------------------------------------------------------- map

async function loadWorld() {
  const [topology, numeric] = await Promise.all([
    fetch("/static/vendor/countries-50m.json").then((r) => r.json()),
    fetch("/static/vendor/iso-3166-numeric.json").then((r) => r.json()),
  ]);
  world = topojson.feature(topology, topology.objects.countries);
  for (const feature of world.features) {
    const iso3 = feature.id !== undefined ? numeric[String(feature.id).padStart(3, "0")] : undefined;
    feature.properties.iso3 = iso3 || null;
    if (iso3) state.countryNames[iso3] = feature.properties.name;
  }
}

function initMap() {
  map = L.map("map", { worldCopyJump: false, minZoom: 1, maxZoom: 10, zoomSnap: 0.25, attributionControl: true });
  map.attributionControl.setPrefix("Leaflet");
  map.attributionControl.addAttribution("Boundaries: Natural Earth (world-atlas)");
  map.setView([25, 20], 1.5);
  mapLayers = L.layerGroup().addTo(map);
  const legend = L.control({ position: "bottomleft" });
  legend.onAdd = () => el("div", { class: "leaflet-bar map-legend", id: "map-legend" });
  legend.addTo(map);
}

function renderMap() {
  if (!map || !world) return;
  mapLayers.clearLayers();
  const byCountry = {};
  const points = new Map();
  let located = 0;
  for (const event of state.events) {
    const loc = event.location;
    if (!loc) continue;
    if (loc.country) byCountry[loc.country] = (byCountry[loc.country] || 0) + 1;
    if (loc.lat !== null && loc.lat !== undefined && loc.lon !== null && loc.lon !== undefined) {
      located += 1;
      const key = `${loc.lat.toFixed(3)},${loc.lon.toFixed(3)}`;
      const point = points.get(key) || { lat: loc.lat, lon: loc.lon, name: loc.name, count: 0, types: {} };
      point.count += 1;
      point.types[event.plover_type] = (point.types[event.plover_type] || 0) + 1;
      points.set(key, point);
    }
  }
  const max = Math.max(1, ...Object.values(byCountry));
  const shade = (n) => (n ? CHOROPLETH[Math.min(CHOROPLETH.length - 1, Math.ceil((n / max) * (CHOROPLETH.length - 1)))] : "#f7f7f7");
  const countries = L.geoJSON(world, {
    style: (f) => ({ color: "#9aa5ad", weight: 0.5, fillOpacity: 0.9, fillColor: shade(byCountry[f.properties.iso3] || 0) }),
    onEachFeature: (f, layer) => {
      const n = byCountry[f.properties.iso3] || 0;
      layer.bindTooltip(`${f.properties.name}: ${n} event${n === 1 ? "" : "s"}`, { sticky: true });
      layer.on("click", () => {
        if (!f.properties.iso3) return;
        $("#filters").elements.country.value = f.properties.iso3;
        applyFilters();
      });
    },
  }).addTo(mapLayers);
  const bounds = [];
  for (const point of points.values()) {
    const types = Object.entries(point.types).map(([t, n]) => `${t} ${n}`).join(", ");
    L.circleMarker([point.lat, point.lon], {
      radius: 4 + 4 * Math.sqrt(point.count),
      color: "#1d2327",
      weight: 1,
      fillColor: "#0b6e99",
      fillOpacity: 0.7,
    })
      .bindTooltip(`${point.name || "place"}: ${point.count} event${point.count === 1 ? "" : "s"} (${types})`)
      .addTo(mapLayers);
    bounds.push([point.lat, point.lon]);
  }
  const legend = $("#map-legend");
  if (legend) {
    legend.replaceChildren(
      el("span", { text: "events by place: " }),
      ...[1, Math.ceil(max / 2), max].filter((v, i, a) => a.indexOf(v) === i).map((v) =>
        el("span", { class: "legend-step" }, el("i", { style: `background:${shade(v)}` }), String(v)),
      ),
    );
  }
  $("#map-note").textContent = `${located} of ${state.events.length} events have a place`;
  if (bounds.length) map.fitBounds(L.latLngBounds(bounds).pad(0.6), { maxZoom: 5 });
  else if (Object.keys(byCountry).length) {
    const hit = countries.getLayers().filter((layer) => byCountry[layer.feature.properties.iso3]);
    map.fitBounds(L.featureGroup(hit).getBounds(), { maxZoom: 5 });
  } else map.setView([25, 20], 1.5);
}

// ---------------------------------------------------------------- network

function renderNetwork() {
  const nodes = new Map();
  const edges = new Map();
  for (const event of state.events) {
    for (const actor of [...(event.source_actors || []), ...(event.target_actors || [])]) {
      const node = nodes.get(actor.name) || { id: actor.name, label: actor.name, country: actor.country, events: 0 };
      node.events += 1;
      nodes.set(actor.name, node);
    }
    for (const source of event.source_actors || []) {
      for (const target of event.target_actors || []) {
        if (source.name === target.name) continue;
        const key = `${source.name}\u0000${target.name}`;
        const edge = edges.get(key) || { source: source.name, target: target.name, count: 0, goldstein: 0, scored: 0 };
        edge.count += 1;
        if (typeof event.goldstein === "number") {
          edge.goldstein += event.goldstein;
          edge.scored += 1;
        }
        edges.set(key, edge);
      }
    }
  }
  // Actors with no counterpart in the loaded events have no edge to draw; they stay in the table.
  const linked = new Set([...edges.values()].flatMap((e) => [e.source, e.target]));
  const elements = [];
  for (const node of nodes.values()) {
    if (linked.has(node.id)) elements.push({ data: { ...node, size: 14 + 6 * Math.sqrt(node.events) } });
  }
  let i = 0;
  for (const edge of edges.values()) {
    const mean = edge.scored ? edge.goldstein / edge.scored : 0;
    const color = mean < 0 ? "#b2182b" : mean > 0 ? "#2166ac" : "#9aa5ad";
    elements.push({
      data: { id: `e${i++}`, source: edge.source, target: edge.target, count: edge.count, mean, color, width: 1 + 1.5 * Math.log2(1 + edge.count) },
    });
  }
  const container = $("#network");
  container.dataset.nodes = String(linked.size);
  $("#network-note").textContent = `${linked.size} actors, ${edges.size} links`;
  container.dataset.edges = String(edges.size);
  if (network) network.destroy();
  network = cytoscape({
    container,
    elements,
    style: [
      {
        selector: "node",
        style: {
          label: "data(label)", width: "data(size)", height: "data(size)", "background-color": "#5f6b73",
          "font-size": 12, color: "#1d2327", "text-background-color": "#fff", "text-background-opacity": 0.7, "text-valign": "bottom", "text-margin-y": 3,
          "text-wrap": "ellipsis", "text-max-width": 120,
        },
      },
      {
        selector: "edge",
        style: {
          width: "data(width)", "line-color": "data(color)", "target-arrow-color": "data(color)",
          "target-arrow-shape": "triangle", "curve-style": "bezier", opacity: 0.85,
        },
      },
    ],
    layout: { name: linked.size > 1 ? "cose" : "grid", animate: false, randomize: false, padding: 20, nodeRepulsion: () => 9000 },
  });
  network.on("tap", "node", (evt) => {
    $("#filters").elements.actor.value = evt.target.id();
    applyFilters();
  });
  network.edges().forEach((edge) => {
    const d = edge.data();
    edge.scratch("title", `${d.source} → ${d.target}: ${d.count} events, mean Goldstein ${d.mean.toFixed(1)}`);
  });
}

// ---------------------------------------------------------------- table

function renderTable() {
  const tbody = $("#events tbody");
  const rows = state.events.map((event) => {
    const who = `${actorNames(event.source_actors) || "?"} → ${actorNames(event.target_actors) || "—"}`;
    const where = event.location ? [event.location.name, event.location.country].filter(Boolean).join(", ") : "";
    const killed = event.fatalities && event.fatalities.best !== null && event.fatalities.best !== undefined ? String(event.fatalities.best) : "";
    const review = event.review
      ? el("span", { class: event.review.not_an_event ? "tag rejected" : "tag reviewed", text: event.review.not_an_event ? "not an event" : "reviewed" })
      : null;
    const row = el(
      "tr",
      { tabindex: "0", "data-event-id": event.event_id, class: event.event_id === state.openEvent ? "selected" : null },
      el("td", { text: eventDay(event) }),
      el("td", {}, el("span", { class: `tag q${event.quad_class || 0}`, text: typeLabel(event) }), " ", review),
      el("td", { text: who }),
      el("td", { text: event.modality }),
      el("td", { text: where }),
      el("td", { text: killed }),
      el("td", { class: "muted", text: [event.source, event.title].filter(Boolean).join(": ").slice(0, 90) }),
      el("td", { text: typeof event.confidence === "number" ? event.confidence.toFixed(2) : "" }),
    );
    row.addEventListener("click", () => openEvent(event.event_id));
    row.addEventListener("keydown", (e) => {
      if (e.key === "Enter") openEvent(event.event_id);
    });
    return row;
  });
  if (!rows.length) rows.push(el("tr", {}, el("td", { colspan: "8", class: "empty", text: "No events match the filters." })));
  tbody.replaceChildren(...rows);
  $("#events-count").textContent = `${state.events.length} shown of ${state.total}`;
  $("#more").hidden = !state.nextCursor;
}

// ---------------------------------------------------------------- quantities

async function loadQuantities() {
  // The latest counts only: a large database reports tens of thousands.
  const data = await api("/api/quantities", { params: { since: state.filters.since, until: state.filters.until, limit: QUANTITIES } });
  renderQuantities(data.items);
}

const BOUND_WORDS = { exact: "", at_least: "at least ", at_most: "at most ", about: "about " };

function renderQuantities(items) {
  const byWhat = new Map();
  for (const q of items) {
    const period = q.period || {};
    const x = period.end || period.start || (q.published || "").slice(0, 10);
    if (!x) continue;
    const list = byWhat.get(q.what) || [];
    list.push({ value: [x, q.value], q });
    byWhat.set(q.what, list);
  }
  const node = $("#quantities");
  node.dataset.series = String(byWhat.size);
  const series = [...byWhat.entries()].map(([what, points]) => ({
    name: what,
    type: "line",
    symbolSize: 9,
    data: points.sort((a, b) => String(a.value[0]).localeCompare(String(b.value[0]))),
  }));
  chart("quantities").setOption(
    {
      animation: false,
      legend: { top: 0, type: "scroll" },
      grid: { left: 48, right: 20, top: 36, bottom: 28 },
      tooltip: {
        trigger: "item",
        formatter: (p) => {
          const q = p.data.q;
          const period = q.period ? [q.period.start, q.period.end].filter(Boolean).join(" – ") : "";
          const source = q.source ? `, per ${q.source}` : "";
          return `${BOUND_WORDS[q.bound] ?? ""}${q.value} ${q.what}${period ? ` (${period})` : ""}${source}`;
        },
      },
      xAxis: { type: "time" },
      yAxis: { type: "value", name: "reported" },
      series,
      graphic: series.length ? [] : [{ type: "text", left: "center", top: "middle", style: { text: "No reported counts", fill: "#5f6b73" } }],
    },
    { notMerge: true },
  );
}

// ---------------------------------------------------------------- signals

async function loadSignals() {
  // The index covers the chosen period, else the 90 days up to the latest event.
  const { since, until } = state.filters;
  let days = 90;
  if (since && until) days = Math.min(3660, Math.max(1, Math.round((Date.parse(until) - Date.parse(since)) / 86400000) + 1));
  // The busiest dyads only: the chart draws eight, and a large database has tens of thousands.
  const data = await api("/api/signals", { params: { ...state.filters, days, top: SIGNAL_DYADS } });
  renderSignals(data);
}

function renderSignals(data) {
  const dyads = [...(data.dyads || [])]
    .map((d) => ({ ...d, total: d.days.reduce((s, day) => s + (day.events || 0), 0) }))
    .sort((a, b) => b.total - a.total)
    .slice(0, SIGNAL_DYADS);
  const series = dyads.map((d) => ({
    name: `${d.source} → ${d.target}`,
    type: "line",
    symbolSize: 6,
    data: d.days.map((day) => [day.day, day.conflict_cooperation]),
  }));
  $("#signals").dataset.dyads = String((data.dyads || []).length);
  chart("signals").setOption(
    {
      animation: false,
      legend: { top: 0, type: "scroll" },
      grid: { left: 44, right: 20, top: 36, bottom: 28 },
      tooltip: { trigger: "axis" },
      xAxis: { type: "time" },
      yAxis: { type: "value" },
      series: series.length
        ? series.map((s, i) => (i === 0 ? { ...s, markLine: { silent: true, symbol: "none", data: [{ yAxis: 0 }], lineStyle: { color: "#9aa5ad" } } } : s))
        : [],
      graphic: series.length ? [] : [{ type: "text", left: "center", top: "middle", style: { text: "No dyads with both sides known", fill: "#5f6b73" } }],
    },
    { notMerge: true },
  );
  const alerts = data.alerts || [];
  const box = $("#alerts");
  const method = data.method ? el("p", { class: "method", text: `Method: ${typeof data.method === "string" ? data.method : JSON.stringify(data.method)}` }) : null;
  if (!alerts.length) {
    box.replaceChildren(...[el("p", { class: "empty", text: "No surge alerts: no series broke above its recent baseline." }), method].filter(Boolean));
    return;
  }
  const fmt = (v) => (typeof v === "number" ? (Number.isInteger(v) ? String(v) : v.toFixed(2)) : v ?? "");
  box.replaceChildren(
    ...[
    el(
      "table",
      {},
      el("thead", {}, el("tr", {}, ...["Alert", "Day", "Events", "Baseline median", "MAD", "Robust z", "Test"].map((h) => el("th", { text: h })))),
      el(
        "tbody",
        {},
        alerts.map((a) =>
          el("tr", {}, ...[a.key === "*" ? "all events" : a.key, a.day, a.count, a.baseline_median, a.mad, a.robust_z, a.method].map((v) => el("td", { text: fmt(v) }))),
        ),
      ),
    ),
    method,
    ].filter(Boolean),
  );
}

// ---------------------------------------------------------------- event panel

/** The article text split at every highlight boundary; each piece carries the kinds that cover it. */
export function highlightSegments(text, highlights) {
  const cuts = new Set([0, text.length]);
  const spans = highlights.filter((h) => h.start < h.end && h.start >= 0 && h.end <= text.length);
  for (const h of spans) {
    cuts.add(h.start);
    cuts.add(h.end);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const segments = [];
  for (let i = 0; i < points.length - 1; i++) {
    const [start, end] = [points[i], points[i + 1]];
    const kinds = spans.filter((h) => h.start <= start && h.end >= end).map((h) => h.kind);
    segments.push({ text: text.slice(start, end), kinds: [...new Set(kinds)] });
  }
  return segments;
}

async function openEvent(eventId) {
  state.openEvent = eventId;
  writeHash();
  for (const row of document.querySelectorAll("#events tbody tr")) {
    row.classList.toggle("selected", row.dataset.eventId === eventId);
  }
  const panel = $("#panel");
  panel.hidden = false;
  $("#panel-body").replaceChildren(el("p", { class: "muted", text: "Loading…" }));
  try {
    const data = await api(`/api/events/${encodeURIComponent(eventId)}`);
    if (state.openEvent !== eventId) return;
    renderPanel(data);
  } catch (err) {
    $("#panel-body").replaceChildren(el("p", { class: "form-error", text: `Could not load event ${eventId}: ${err.message}` }));
  }
}

function closePanel() {
  state.openEvent = null;
  $("#panel").hidden = true;
  writeHash();
  for (const row of document.querySelectorAll("#events tbody tr.selected")) row.classList.remove("selected");
}

function actorLine(actors) {
  if (!actors || !actors.length) return "—";
  return actors.map((a) => [a.name, [a.cameo_code, a.country && countryName(a.country)].filter(Boolean).join(", ")].filter(Boolean).join(" — ")).join("; ");
}

function renderPanel({ event, article, highlights }) {
  $("#panel-title").textContent = `${typeLabel(event)}: ${actorNames(event.source_actors) || "?"} → ${actorNames(event.target_actors) || "—"}`;
  const date = event.date ? `${event.date.value || "unknown"} (${event.date.precision})` : "unknown";
  const place = event.location
    ? `${event.location.name}${event.location.country ? `, ${countryName(event.location.country)}` : ""} (${event.location.precision})`
    : "not given";
  const fatalities = event.fatalities ? `${event.fatalities.best ?? "?"}${event.fatalities.text ? ` (“${event.fatalities.text}”)` : ""}` : "none reported";
  const quad = QUADS[event.quad_class] ? `${event.quad_class} — ${QUADS[event.quad_class].label}` : "—";
  const acled = [event.acled_event_type, event.acled_sub_event_type].filter(Boolean).join(" / ") || "not an ACLED event";
  const published = [article.source, article.published].filter(Boolean).join(", ");
  const facts = [
    ["Date", date],
    ["Place", place],
    ["Source actors", actorLine(event.source_actors)],
    ["Target actors", actorLine(event.target_actors)],
    ["Killed", fatalities],
    ["PLOVER", typeLabel(event)],
    ["CAMEO", `${event.cameo_code || "—"} (Goldstein ${event.goldstein ?? "—"})`],
    ["Quad class", quad],
    ["ACLED", acled],
    ["Confidence", typeof event.confidence === "number" ? event.confidence.toFixed(2) : "—"],
    ["Article", `${article.title || article.article_id}${published ? ` — ${published}` : ""}`],
    ["Event id", event.event_id],
  ];
  const text = article.text || "";
  const segments = highlightSegments(text, highlights || []);
  const articleBox = el(
    "div",
    { class: "article", id: "article-text" },
    segments.map((s) =>
      s.kinds.length
        ? el("mark", { class: s.kinds.map((k) => `hl-${k}`).join(" "), "data-kinds": s.kinds.join(" "), title: s.kinds.join(", ") }, s.text)
        : s.text,
    ),
  );
  const legend = el(
    "div",
    { class: "legend" },
    HIGHLIGHT_KINDS.map((k) => el("mark", { class: `hl-${k}`, text: k })),
  );
  $("#panel-body").replaceChildren(
    ...[
    el("p", { class: "plain", id: "event-plain" }, el("strong", { text: plainModality(event) }), "."),
    el("dl", {}, facts.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", { text: v })])),
    legend,
    articleBox,
    article.url ? el("p", { class: "muted" }, "Original: ", el("a", { href: article.url, rel: "noreferrer noopener", target: "_blank", text: article.url })) : null,
    renderReview(event),
    ].filter(Boolean),
  );
  const first = articleBox.querySelector("mark.hl-evidence") || articleBox.querySelector("mark");
  if (first) articleBox.scrollTop = Math.max(0, first.offsetTop - articleBox.offsetTop - 60);
}

function describeReview(review) {
  if (!review) return null;
  const who = review.reviewer || "a reviewer";
  const when = review.reviewed_at || review.at || review.created_at || review.time || "";
  const changes = review.changes || {};
  const lines = Object.entries(changes).map(([k, v]) => `${k} → ${typeof v === "object" ? JSON.stringify(v) : v}`);
  if (review.not_an_event) lines.unshift("marked as not an event");
  return el(
    "div",
    { class: "correction", id: "correction" },
    el("strong", { text: `Corrected by ${who}${when ? ` on ${when}` : ""}` }),
    el("ul", {}, lines.map((line) => el("li", { text: line }))),
    review.note ? el("p", { text: `Note: ${review.note}` }) : null,
  );
}

function renderReview(event) {
  const types = [...$("#filters").elements.type.options].map((o) => o.value).filter(Boolean);
  const modalities = [...$("#filters").elements.modality.options].map((o) => o.value).filter(Boolean);
  const original = event.original;
  const machine = original && (original.plover_type !== event.plover_type || original.modality !== event.modality)
    ? el("p", { class: "muted", text: `The machine said: ${original.plover_type}, ${original.modality}.` })
    : null;
  const message = el("span", { class: "form-message", role: "status" });
  const form = el(
    "form",
    { id: "review-form" },
    el("label", { for: "rv-type", text: "Type" }),
    el("select", { id: "rv-type", name: "plover_type" }, types.map((t) => el("option", { value: t, selected: t === event.plover_type, text: t }))),
    el("label", { for: "rv-modality", text: "Modality" }),
    el("select", { id: "rv-modality", name: "modality" }, modalities.map((m) => el("option", { value: m, selected: m === event.modality, text: m }))),
    el("label", { for: "rv-not", text: "Not an event" }),
    el("input", { id: "rv-not", name: "not_an_event", type: "checkbox", checked: Boolean(event.review && event.review.not_an_event) }),
    el("label", { for: "rv-note", text: "Note" }),
    el("input", { id: "rv-note", name: "note", type: "text", placeholder: "why (optional)" }),
    el("label", { for: "rv-reviewer", text: "Reviewer" }),
    el("input", { id: "rv-reviewer", name: "reviewer", type: "text", required: true, value: localStorage.getItem(REVIEWER_KEY) || "" }),
    el("label", { for: "rv-token", text: "Token" }),
    el("input", { id: "rv-token", name: "token", type: "password", autocomplete: "off", value: sessionStorage.getItem(TOKEN_KEY) || "" }),
    el("div", { class: "actions" }, el("button", { type: "submit", text: "Save correction" }), message),
  );
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const f = form.elements;
    const reviewer = f.reviewer.value.trim();
    const token = f.token.value.trim();
    localStorage.setItem(REVIEWER_KEY, reviewer);
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    const changes = {};
    if (f.plover_type.value !== event.plover_type) changes.plover_type = f.plover_type.value;
    if (f.modality.value !== event.modality) changes.modality = f.modality.value;
    const body = { reviewer, changes };
    if (f.not_an_event.checked) body.not_an_event = true;
    if (f.note.value.trim()) body.note = f.note.value.trim();
    if (!Object.keys(changes).length && !body.not_an_event && !body.note) {
      message.className = "form-message form-error";
      message.textContent = "Nothing changed.";
      return;
    }
    message.className = "form-message";
    message.textContent = "Saving…";
    try {
      await api(`/api/events/${encodeURIComponent(event.event_id)}`, { method: "PATCH", body, token });
      await refresh();
      await openEvent(event.event_id);
      const saved = $("#review-form .form-message");
      if (saved) saved.textContent = "Saved.";
    } catch (err) {
      message.className = "form-message form-error";
      message.textContent = err.message;
    }
  });
  return el(
    "section",
    { class: "review" },
    el("h3", { text: "Review" }),
    describeReview(event.review),
    machine,
    form,
  );
}

// ---------------------------------------------------------------- wiring

function chart(id) {
  charts[id] ??= echarts.init(document.getElementById(id));
  return charts[id];
}

async function loadLists() {
  const actors = await api("/api/actors", { params: { limit: 500 } });
  $("#actor-list").replaceChildren(...actors.items.map((a) => el("option", { value: a.name, label: `${a.events} events` })));
  const codes = new Set(actors.items.map((a) => a.country).filter(Boolean));
  $("#country-list").replaceChildren(...[...codes].sort().map((c) => el("option", { value: c, label: countryName(c) })));
}

function applyFilters() {
  state.filters = readFiltersFromForm();
  writeHash();
  return refresh();
}

async function main() {
  const { filters, event } = readHash();
  state.filters = filters;
  writeFiltersToForm(filters);
  $("#filters").addEventListener("submit", (e) => {
    e.preventDefault();
    applyFilters();
  });
  $("#filters").addEventListener("reset", () => setTimeout(applyFilters, 0));
  $("#panel-close").addEventListener("click", closePanel);
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && !$("#panel").hidden) closePanel();
  });
  $("#more").addEventListener("click", () => loadMore().catch((err) => setStatus(err.message, { error: true })));
  window.addEventListener("resize", () => Object.values(charts).forEach((c) => c.resize()));
  try {
    await loadWorld();
  } catch (err) {
    setStatus(`World boundaries did not load: ${err.message}`, { error: true });
  }
  initMap();
  await Promise.all([refresh(), loadLists().catch((err) => setStatus(err.message, { error: true }))]);
  if (event) await openEvent(event);
}

main();
