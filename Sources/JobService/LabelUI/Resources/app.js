// Apiary labeling UI: plain JavaScript, no framework, no build step, no network but this daemon.
// Boxes are [left, top, width, height] in pixels of the stored (upright) image, whole pixels, always inside it.
// Every change is sent at once as one revision-checked write (/label/api/images/ID/edits); the store keeps
// the history, so undo is the store's undo and nothing lives only in this page.
"use strict";

const PALETTE = ["#f2b705", "#1f6feb", "#e5484d", "#30a46c", "#8e4ec6", "#f76b15", "#12a594", "#d6409f", "#6e56cf", "#3e63dd"];
const HANDLE = 5;           // handle half-size, screen px
const MIN_BOX = 2;          // smallest box, image px
const MIN_DRAG = 4;         // smallest drag that draws, screen px

const $ = (id) => document.getElementById(id);
const el = (tag, props = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  for (const child of children) node.append(child);
  return node;
};
const clamp = (v, lo, hi) => Math.min(Math.max(v, lo), hi);

const state = {
  token: document.querySelector('meta[name="apiary-label-token"]').content,
  source: null,        // {kind: "dataset"|"job", name}
  queue: null,         // {dataset, categories, images, job}
  image: null,         // {id, name, width, height, labeled, revision, boxes}
  bitmap: null,        // the loaded <img>
  boxes: [],           // [{id, classId, box:[l,t,w,h]}] as shown
  selected: null,      // one of boxes
  currentClass: 0,
  mode: "draw",
  view: { s: 1, tx: 0, ty: 0 },
  hidden: false,
  opacity: 0.15,
  crosshair: true,
  fitted: false,       // the view is "fit to the window", so it refits when the stage changes size
  pointer: null,       // last pointer position on the canvas (screen px)
  drag: null,
  space: false,
  redo: [],            // stacks of edits that redo an undo
  openedAt: Date.now(),
  freeTier: null,
};

// ---------------------------------------------------------------- API

class APIError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

async function api(path, body) {
  const init = body === undefined ? {} : {
    method: "POST", body: JSON.stringify(body),
    headers: { "Content-Type": "application/json", "X-Apiary-Label-Token": state.token },
  };
  let response = await reach("/label/api/" + path, init);
  if (response.status === 403 && body !== undefined && await refreshToken()) {
    init.headers["X-Apiary-Label-Token"] = state.token;   // the daemon restarted: same page, new session token
    response = await reach("/label/api/" + path, init);
  }
  const answer = await response.json().catch(() => ({ error: `HTTP ${response.status}` }));
  if (!response.ok) throw new APIError(response.status, answer.error || `HTTP ${response.status}`);
  return answer;
}

/** `fetch`, with a daemon that cannot be reached (down, restarting) as an APIError of status 0. */
async function reach(url, init) {
  try { return await fetch(url, init); } catch { throw new APIError(0, "cannot reach the daemon"); }
}

/** A query string, percent-encoded (the daemon reads `+` as a plus). */
function query(params) { return Object.entries(params).map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("&"); }

/** Reads the current session token from the page the daemon serves now; true when it changed. */
async function refreshToken() {
  try {
    const html = await (await fetch("/label/", { cache: "no-store" })).text();
    const token = new DOMParser().parseFromString(html, "text/html").querySelector('meta[name="apiary-label-token"]')?.content;
    if (!token || token === state.token) return false;
    state.token = token;
    return true;
  } catch { return false; }
}

// ---------------------------------------------------------------- saving: the outbox (outbox.js)

const outbox = new Outbox(
  (imageId, revision, edits) => api(`images/${imageId}/edits`, { revision, edits }),
  {
    confirmed(write, answer) {
      clearBanner("offline");
      clearBanner("refused");
      if (document.body.dataset.saveState === "error") document.body.dataset.saveState = "";
      state.freeTier = answer.freeTier;
      markQueue(write.imageId, done(answer));
      for (const box of state.boxes) box.id = outbox.idOf(box.id);
      if (state.image?.id !== write.imageId) return;
      state.image.revision = answer.revision;
      state.image.labeled = answer.labeled;
      // Nothing more to send for this image: show exactly what is stored.
      if (!outbox.pendingFor(write.imageId) && !state.drag) showLabels(answer);
      renderMeters();
      scheduleStats();
    },
    refused(write, error, dropped) {
      if (error.status === 409 && /nothing to undo/.test(error.message)) { showBanner("Nothing left to undo on this image.", false); return; }
      const lost = dropped.length === 1 ? "This change was" : `These ${dropped.length} changes were`;
      const message = error.status === 409 && /changed elsewhere/.test(error.message)
        ? `Not saved: this image was changed in another tab or by ctl since you opened it. ${lost} not saved; the image now shows the saved boxes. Redo your change if it is still needed.`
        : `Not saved: ${error.message}`;
      showBanner(message, true, "refused");
      document.body.dataset.saveState = "error";
      if (state.image?.id === write.imageId) reloadLabels();
    },
    offline(error) {
      const kept = "Your changes are kept in this browser and sent, in order, as soon as it answers.";
      showBanner(error.status === 503
        ? `${error.message} ${kept}`
        : `Cannot reach the daemon (is \`ctl serve\` running?). ${kept}`, true, "offline");
    },
    online() { clearBanner("offline"); },
    changed: renderSaveState,
  },
);

/** Queues a write of `edits` on the current image; `done(answer)` once the daemon has committed it. */
function save(edits, done) {
  outbox.add(state.image.id, state.image.revision, edits, done);
}

function idle() { return outbox.idle(); }

/** The top bar: "All changes saved" only when the daemon has confirmed every change. */
function renderSaveState() {
  const n = outbox.count;
  let value = document.body.dataset.saveState === "error" && !n ? "error" : n ? (outbox.offline ? "offline" : "saving") : "saved";
  if (document.body.dataset.saveState === "idle" && !n && !state.image) value = "idle";
  document.body.dataset.saveState = value;
  document.body.dataset.pending = String(n);
  const unsaved = `${n} change${n === 1 ? "" : "s"} not saved`;
  $("save-state").textContent = {
    saving: `${unsaved} · saving…`, offline: `${unsaved} · ${outbox.offline} unreachable, retrying`, saved: "All changes saved", error: "Last change not saved", idle: "–",
  }[value];
  $("save-state").classList.toggle("error", value === "error" || value === "offline");
}

// ---------------------------------------------------------------- edits

function boxEdit(op, box) { return { op, id: box.id, classId: box.classId, box: box.box.slice() }; }

function addBox(classId, geometry) {
  if (verification.blocksEdit()) return;
  const box = { id: outbox.newKey(), classId, box: geometry };
  state.boxes.push(box);
  select(box);
  state.redo = [];
  save([{ op: "add", key: box.id, classId: box.classId, box: box.box.slice() }]);
  changed();
}

function updateBox(box, classId, geometry) {
  if (verification.blocksEdit()) return;
  if (box.classId === classId && geometry.every((v, i) => v === box.box[i])) return;
  box.classId = classId;
  box.box = geometry;
  state.redo = [];
  save([boxEdit("update", box)]);
  changed();
}

function deleteBox(box) {
  if (verification.blocksEdit()) return;
  state.boxes = state.boxes.filter((b) => b !== box);
  if (state.selected === box) state.selected = null;
  state.redo = [];
  save([{ op: "delete", id: box.id }]);
  changed();
}

/** Undo is the store's: it reverses the latest write still in effect on the image, even one from yesterday. */
function undo() {
  if (!state.image || verification.blocksEdit()) return;
  save([{ op: "undo" }], (answer) => { state.redo.push(answer.changes.map(redoEdit).filter(Boolean)); });
}

/** The edit that repeats what an undo reversed (`before`/`after` of an undo entry describe the reversal). */
function redoEdit(change) {
  if (change.boxId === null) return { op: "submit" };
  if (!change.after) return { op: "add", classId: change.before.classId, box: change.before.box, was: change.boxId };
  if (!change.before) return { op: "delete", id: change.boxId };
  return { op: "update", id: change.boxId, classId: change.before.classId, box: change.before.box };
}

function redo() {
  const edits = state.redo.pop();
  if (!edits || !state.image) return;
  save(edits.map(({ was, ...edit }) => edit), (answer) => {
    // A box drawn again gets a new id: later redo steps that name the old one follow it.
    edits.forEach((edit, i) => {
      if (edit.was === undefined) return;
      const id = answer.changes[i]?.boxId;
      for (const step of state.redo) for (const e of step) if (e.id === edit.was) e.id = id;
    });
  });
}

/** Submits this image as the answer (a labeling job's task is then done) and goes to the next one to do. With no
 * box, "nothing to label" is an answer too, so it is confirmed first. */
function submit() {
  if (!state.image) return;
  if (verification.active()) { verification.submit(); return; }
  if (!state.boxes.length) {
    $("confirm-none-text").textContent = `Submit ${baseName(state.image.name)} with no box, as "no ${className(0)}s here"? That is kept as the answer.`;
    $("confirm-none").returnValue = "";
    $("confirm-none").showModal();
    return;
  }
  submitNow();
}

function submitNow(edit = { op: "submit" }) {
  save([edit]);
  idle().then(() => {
    if (outbox.count || document.body.dataset.saveState === "error") return;
    const next = nextIndex(true);
    if (next < 0) showBanner(state.queue.job ? "Every task of this job is submitted." : "Every image in this queue is labeled. 🎉", false, "done");
    else go(next);
  });
}

async function prelabel() {
  if (!state.image) return;
  const endpoint = $("endpoint").value;
  try {
    const answer = await api(`images/${state.image.id}/predictions`, { endpoint, threshold: Number($("threshold").value) || 0 });
    if (!answer.boxes.length) { showBanner(`${endpoint} found nothing above the threshold on this image.`, false); return; }
    const added = answer.boxes.map((b) => ({ id: outbox.newKey(), classId: b.classId, box: b.box }));
    state.boxes.push(...added);
    state.redo = [];
    save(added.map((b) => ({ op: "add", key: b.id, classId: b.classId, box: b.box.slice() })));
    changed();
  } catch (error) { showBanner(`Pre-label failed: ${error.message}`, true); }
}

// ---------------------------------------------------------------- sources, queue, images

async function loadSources() {
  const sources = await api("sources");
  const select = $("source");
  select.replaceChildren(el("option", { value: "", textContent: "Choose a dataset or job…" }));
  const jobs = el("optgroup", { label: "Labeling jobs" });
  for (const job of sources.jobs) jobs.append(el("option", { value: "job=" + job.name, textContent: `${job.name} (${job.status})` }));
  const datasets = el("optgroup", { label: "Datasets" });
  for (const d of sources.datasets) {
    if (d.name.startsWith("labeling-job/")) continue;
    datasets.append(el("option", { value: "dataset=" + d.name, textContent: `${d.name} (${d.labeled}/${d.images})` }));
  }
  if (jobs.children.length) select.append(jobs);
  if (datasets.children.length) select.append(datasets);
  state.freeTier = sources.freeTier;
  $("endpoint").replaceChildren(...sources.endpoints.map((name) => el("option", { value: name, textContent: name })));
  $("prelabel-group").hidden = !sources.endpoints.length;
  renderMeters();
}

function hashParams() { return new URLSearchParams(location.hash.slice(1)); }

async function openSource(kind, name, imageId) {
  await idle();
  state.source = { kind, name };
  $("source").value = `${kind}=${name}`;
  const params = { [kind]: name };
  if (Number($("sample").value) > 0) Object.assign(params, { sample: $("sample").value, seed: $("seed").value || "0" });
  state.queue = await api("queue?" + query(params));
  const sticky = Number(localStorage.getItem(classKey()) || 0);
  state.currentClass = sticky < state.queue.categories.length ? sticky : 0;
  renderClasses();
  renderQueue();
  clearBanner("job-finished");
  renderJob(state.queue.job);
  renderTask(state.queue.job?.task);
  verification.setUp();
  state.freeTier = state.queue.freeTier;
  const images = state.queue.images;
  const start = images.find((i) => i.id === imageId) || images.find((i) => !i.labeled) || images[0];
  if (start) await openImage(start.id); else { state.image = null; $("empty").hidden = false; $("empty").textContent = "No images here."; }
  scheduleStats();
}

async function openImage(id) {
  await idle();
  const labels = await api(`images/${id}`);
  const bitmap = new Image();
  bitmap.src = `/label/api/images/${id}/file`;
  await bitmap.decode();
  if (bitmap.naturalWidth !== labels.width || bitmap.naturalHeight !== labels.height) {
    showBanner(`This browser shows the image as ${bitmap.naturalWidth}×${bitmap.naturalHeight}, the store has ${labels.width}×${labels.height}.`, true);
  }
  state.image = labels;
  state.bitmap = bitmap;
  state.redo = [];
  state.selected = null;
  state.boxes = labels.boxes;
  state.openedAt = Date.now();
  verification.reset(labels.verification);
  $("empty").hidden = true;
  $("image-name").textContent = `${baseName(labels.name)} · ${labels.width}×${labels.height}`;
  $("image-name").title = labels.name;
  const hash = new URLSearchParams({ [state.source.kind]: state.source.name, image: id });
  history.replaceState(null, "", "#" + hash);
  document.body.dataset.imageId = id;
  fit();
  renderBoxes();
  renderQueue();
  preload(nextIndex(false));
}

function preload(index) {
  const next = state.queue?.images[index];
  if (next) new Image().src = `/label/api/images/${next.id}/file`;
}

/** Shows the stored boxes again (after a refused write or an undo/redo). */
async function reloadLabels() {
  try { showLabels(await api(`images/${state.image.id}`)); } catch (error) { showBanner(error.message, true); }
}

function showLabels(labels) {
  const selectedId = state.selected?.id;
  Object.assign(state.image, { revision: labels.revision, labeled: labels.labeled });
  state.boxes = labels.boxes;
  state.selected = state.boxes.find((b) => b.id === selectedId) || null;
  state.image.submitted = labels.submitted;
  markQueue(state.image.id, done(labels));
  changed();
}

function currentIndex() { return state.queue.images.findIndex((i) => i.id === state.image?.id); }

/** The next image: the next unlabeled one after this (wrapping), or just the next one. */
function nextIndex(unlabeledOnly) {
  const images = state.queue?.images || [];
  const here = currentIndex();
  for (let step = 1; step <= images.length; step++) {
    const i = (here + step) % images.length;
    if (!unlabeledOnly || !images[i].labeled) return i;
    if (!unlabeledOnly) break;
  }
  return unlabeledOnly ? -1 : Math.min(here + 1, images.length - 1);
}

async function go(index) {
  const images = state.queue?.images || [];
  if (index < 0) { showBanner("Every image in this queue is done. 🎉", false, "done"); return; }
  if (index >= images.length || images[index].id === state.image?.id) return;
  await openImage(images[index].id);
}

/** Whether an image is done: a labeling job's task once submitted, a dataset's image once labeled. */
function done(labels) { return labels.submitted ?? labels.labeled; }

function markQueue(imageId, labeled) {
  const entry = state.queue?.images.find((i) => i.id === imageId);
  if (entry) entry.labeled = labeled;
  renderQueue();
}

// ---------------------------------------------------------------- view

function stageSize() { const r = $("stage").getBoundingClientRect(); return { w: Math.floor(r.width), h: Math.floor(r.height) }; }

function fit() {
  if (!state.image) return;
  const { w, h } = stageSize();
  const s = Math.min((w - 20) / state.image.width, (h - 20) / state.image.height);
  setView(s > 1 ? 1 : s);
  state.fitted = true;
}

/** Zoom `s`, centred; whole-pixel offsets so 1:1 maps a screen pixel onto an image pixel. */
function setView(s) {
  state.fitted = false;
  const { w, h } = stageSize();
  state.view = { s, tx: Math.round((w - state.image.width * s) / 2), ty: Math.round((h - state.image.height * s) / 2) };
  render();
}

/** Zooms by `factor` keeping the image point under screen (x, y) where it is. */
function zoomAt(factor, x, y) {
  state.fitted = false;
  const v = state.view;
  const s = clamp(v.s * factor, 0.05, 40);
  state.view = { s, tx: x - (x - v.tx) * (s / v.s), ty: y - (y - v.ty) * (s / v.s) };
  render();
}

function toImage(x, y) { const v = state.view; return [(x - v.tx) / v.s, (y - v.ty) / v.s]; }
function toScreen(x, y) { const v = state.view; return [x * v.s + v.tx, y * v.s + v.ty]; }

function canvasPoint(event) {
  const r = $("canvas").getBoundingClientRect();
  return [event.clientX - r.left, event.clientY - r.top];
}

// ---------------------------------------------------------------- geometry

/** A box from two corners, whole pixels, inside the image. */
function rectFrom(x1, y1, x2, y2) {
  const W = state.image.width, H = state.image.height;
  const l = Math.round(clamp(Math.min(x1, x2), 0, W)), r = Math.round(clamp(Math.max(x1, x2), 0, W));
  const t = Math.round(clamp(Math.min(y1, y2), 0, H)), b = Math.round(clamp(Math.max(y1, y2), 0, H));
  return [l, t, r - l, b - t];
}

/** A box moved by (dx, dy): whole pixels, but flush with the right or bottom edge when that is where it stops
 * (a box of fractional size ends exactly at the edge, never half a pixel past it). */
function moved(box, dx, dy) {
  const [l, t, w, h] = box;
  return [clamp(Math.round(l + dx), 0, lastStart(w, state.image.width)), clamp(Math.round(t + dy), 0, lastStart(h, state.image.height)), w, h];
}

/** The largest left (or top) at which a box of `size` still ends inside `extent` in floating point, as the store
 * checks it (`left + width ≤ width of the image`). */
function lastStart(size, extent) {
  const start = extent - size;
  return start + size <= extent ? start : start - Math.abs(start) * Number.EPSILON;
}

/** Handles: 0 nw, 1 n, 2 ne, 3 e, 4 se, 5 s, 6 sw, 7 w — as [fx, fy] fractions of the box. */
const HANDLES = [[0, 0], [0.5, 0], [1, 0], [1, 0.5], [1, 1], [0.5, 1], [0, 1], [0, 0.5]];
const CURSORS = ["nwse-resize", "ns-resize", "nesw-resize", "ew-resize", "nwse-resize", "ns-resize", "nesw-resize", "ew-resize"];

function handleAt(box, x, y) {
  const [l, t, w, h] = box.box;
  return HANDLES.findIndex(([fx, fy]) => {
    const [hx, hy] = toScreen(l + fx * w, t + fy * h);
    return Math.abs(hx - x) <= HANDLE + 2 && Math.abs(hy - y) <= HANDLE + 2;
  });
}

/** The smallest box under a screen point, so a box inside another can be picked. */
function boxAt(x, y) {
  const [ix, iy] = toImage(x, y);
  const hits = state.boxes.filter(({ box: [l, t, w, h] }) => ix >= l && ix <= l + w && iy >= t && iy <= t + h);
  return hits.sort((a, b) => a.box[2] * a.box[3] - b.box[2] * b.box[3])[0] || null;
}

function resized(box, handle, ix, iy) {
  const [l, t, w, h] = box;
  let [x1, y1, x2, y2] = [l, t, l + w, t + h];
  const [fx, fy] = HANDLES[handle];
  if (fx === 0) x1 = ix; else if (fx === 1) x2 = ix;
  if (fy === 0) y1 = iy; else if (fy === 1) y2 = iy;
  return rectFrom(x1, y1, x2, y2);
}

// ---------------------------------------------------------------- pointer

function onPointerDown(event) {
  if (!state.image) return;
  $("stage").focus();
  const [x, y] = canvasPoint(event);
  $("canvas").setPointerCapture(event.pointerId);
  // A verification task's boxes cannot be moved: a drag pans.
  if (event.button === 1 || state.space || verification.active()) { state.drag = { kind: "pan", x, y, view: { ...state.view } }; return; }
  if (event.button !== 0) return;
  if (state.mode === "draw") {
    const [ix, iy] = toImage(x, y);
    if (ix < 0 || iy < 0 || ix > state.image.width || iy > state.image.height) { state.drag = { kind: "pan", x, y, view: { ...state.view } }; return; }
    state.drag = { kind: "draw", x, y, ix, iy, rect: null };
    return;
  }
  const handle = state.selected && !state.hidden ? handleAt(state.selected, x, y) : -1;
  if (handle >= 0) { state.drag = { kind: "resize", box: state.selected, handle, orig: state.selected.box.slice() }; return; }
  const hit = state.hidden ? null : boxAt(x, y);
  select(hit);
  state.drag = hit ? { kind: "move", box: hit, x, y, orig: hit.box.slice() } : { kind: "pan", x, y, view: { ...state.view } };
}

function onPointerMove(event) {
  const [x, y] = canvasPoint(event);
  state.pointer = [x, y];
  const drag = state.drag;
  if (!drag) { updateCursor(x, y); render(); return; }
  const [ix, iy] = toImage(x, y);
  if (drag.kind === "pan") { state.fitted = false; state.view = { ...drag.view, tx: drag.view.tx + x - drag.x, ty: drag.view.ty + y - drag.y }; }
  else if (drag.kind === "draw") drag.rect = rectFrom(drag.ix, drag.iy, ix, iy);
  else if (drag.kind === "move") drag.box.box = moved(drag.orig, (x - drag.x) / state.view.s, (y - drag.y) / state.view.s);
  else if (drag.kind === "resize") drag.box.box = resized(drag.orig, drag.handle, ix, iy);
  render();
}

function onPointerUp(event) {
  const drag = state.drag;
  state.drag = null;
  if (!drag) return;
  const [x, y] = canvasPoint(event);
  if (drag.kind === "draw") {
    const rect = drag.rect;
    const far = Math.abs(x - drag.x) >= MIN_DRAG && Math.abs(y - drag.y) >= MIN_DRAG;
    if (rect && far && rect[2] >= MIN_BOX && rect[3] >= MIN_BOX) addBox(state.currentClass, rect);
    else if (!far) select(state.hidden ? null : boxAt(x, y));  // a click, not a drag: pick the box under it
  } else if (drag.kind === "move" || drag.kind === "resize") {
    const geometry = drag.box.box;
    const valid = geometry[2] >= MIN_BOX && geometry[3] >= MIN_BOX;
    drag.box.box = drag.orig;
    if (valid) updateBox(drag.box, drag.box.classId, geometry);
  }
  changed();
}

function updateCursor(x, y) {
  let cursor = state.mode === "draw" ? "crosshair" : "default";
  if (state.space) cursor = "grab";
  else if (state.mode === "select" && state.image && !state.hidden) {
    const handle = state.selected ? handleAt(state.selected, x, y) : -1;
    if (handle >= 0) cursor = CURSORS[handle];
    else if (boxAt(x, y)) cursor = "move";
  }
  $("canvas").style.cursor = cursor;
}

function onWheel(event) {
  if (!state.image) return;
  event.preventDefault();
  const [x, y] = canvasPoint(event);
  if (event.ctrlKey || event.metaKey) zoomAt(Math.pow(1.0015, -event.deltaY), x, y);
  else { state.fitted = false; state.view.tx -= event.deltaX; state.view.ty -= event.deltaY; render(); }
}

// ---------------------------------------------------------------- keyboard

function onKeyDown(event) {
  if (event.target.matches("input, select, textarea") || document.querySelector("dialog[open]")) return;
  // Enter and Space press the focused control (a button, a list entry, the instructions' summary).
  if ((event.key === "Enter" || event.key === " ") && event.target.closest("button, summary, [role=button], [role=radio], a")) return;
  const key = event.key, ctrl = event.ctrlKey || event.metaKey;
  const box = state.selected;
  const digit = /^Digit([1-9])$/.exec(event.code);
  let handled = true;
  if (!ctrl && verification.onKey(key)) { event.preventDefault(); return; }
  if (ctrl && (key === "z" || key === "Z")) event.shiftKey ? redo() : undo();
  else if (ctrl && key === "y") redo();
  else if (ctrl) handled = false;
  else if (digit) {
    const classId = Number(digit[1]) - 1;
    if (classId >= (state.queue?.categories.length || 0)) return;
    if (event.shiftKey && box) updateBox(box, classId, box.box.slice());
    else setClass(classId);
  } else if (key.startsWith("Arrow") && box) {
    const step = event.shiftKey ? 10 : 1;
    const [dx, dy] = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] }[key];
    const [l, t, w, h] = box.box;
    const geometry = event.altKey ? rectFrom(l, t, l + Math.max(MIN_BOX, w + dx), t + Math.max(MIN_BOX, h + dy)) : moved(box.box, dx, dy);
    updateBox(box, box.classId, geometry);
  } else if ((key === "Delete" || key === "Backspace") && box) deleteBox(box);
  else if ((key === "]" || key === "[") && state.boxes.length) select(state.boxes[(state.boxes.indexOf(box) + (key === "[" ? -1 : 1) + state.boxes.length) % state.boxes.length]);
  else if ((key === "b" || key === "B") && state.image) addBox(state.currentClass, keyboardBox());
  else if (key === "d" || key === "D") setMode("draw");
  else if (key === "v" || key === "V") setMode("select");
  else if (key === "h" || key === "H") toggleBoxes();
  else if (key === "c" || key === "C") { $("crosshair").checked = !$("crosshair").checked; state.crosshair = $("crosshair").checked; render(); }
  else if (key === "f" || key === "F") fit();
  else if (key === "0") state.image && setView(1);
  else if (key === "+" || key === "=") zoomCentre(1.25);
  else if (key === "-" || key === "_") zoomCentre(0.8);
  else if (key === "Enter") submit();
  else if (key === "n" || key === "N") go(nextIndex(false));
  else if (key === "p" || key === "P") go(Math.max(0, currentIndex() - 1));
  else if (key === "s" || key === "S") go(nextIndex(true));
  else if (key === "?") $("help").showModal();
  else if (key === "Escape") { if (state.drag) { if (state.drag.orig) state.drag.box.box = state.drag.orig; state.drag = null; } else select(null); changed(); }
  else if (key === " ") { state.space = true; $("canvas").style.cursor = "grab"; }
  else handled = false;
  if (handled) event.preventDefault();
}

/** A new box from the keyboard (B): a quarter of the visible part of the image, centred in it, whole pixels; then
 * arrows move it and Alt+arrows size it. */
function keyboardBox() {
  const { w, h } = stageSize();
  const [x0, y0] = toImage(0, 0), [x1, y1] = toImage(w, h);
  const l = Math.max(0, x0), t = Math.max(0, y0), r = Math.min(state.image.width, x1), b = Math.min(state.image.height, y1);
  const bw = Math.max(MIN_BOX, Math.round((r - l) / 4)), bh = Math.max(MIN_BOX, Math.round((b - t) / 4));
  const cx = (l + r) / 2, cy = (t + b) / 2;
  return rectFrom(cx - bw / 2, cy - bh / 2, cx - bw / 2 + bw, cy - bh / 2 + bh);
}

function zoomCentre(factor) { if (state.image) { const { w, h } = stageSize(); zoomAt(factor, w / 2, h / 2); } }

function setMode(mode) {
  state.mode = mode;
  $("mode-draw").setAttribute("aria-checked", mode === "draw");
  $("mode-select").setAttribute("aria-checked", mode === "select");
  render();
}

/** The class for new boxes; it stays picked for this dataset, across images and reloads. */
function setClass(classId) {
  state.currentClass = classId;
  localStorage.setItem(classKey(), String(classId));
  renderClasses();
}

function classKey() { return "apiary-label-class:" + (state.queue?.dataset || ""); }

function select(box) { state.selected = box; changed(); }

function toggleBoxes() {
  state.hidden = !state.hidden;
  $("toggle-boxes").textContent = state.hidden ? "Show" : "Hide";
  render();
}

// ---------------------------------------------------------------- drawing

function render() {
  const canvas = $("canvas");
  const { w, h } = stageSize();
  const ratio = window.devicePixelRatio || 1;
  if (canvas.width !== w * ratio || canvas.height !== h * ratio) {
    canvas.width = w * ratio; canvas.height = h * ratio;
    canvas.style.width = w + "px"; canvas.style.height = h + "px";
  }
  const ctx = canvas.getContext("2d");
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, w, h);
  $("zoom-level").textContent = Math.round(state.view.s * 100) + "%";
  if (!state.image || !state.bitmap) return;
  const v = state.view;
  ctx.imageSmoothingEnabled = v.s < 2;
  ctx.drawImage(state.bitmap, v.tx, v.ty, state.image.width * v.s, state.image.height * v.s);
  if (!state.hidden) {
    for (const box of state.boxes) drawBox(ctx, box.box, PALETTE[box.classId % PALETTE.length], box === state.selected, false, className(box.classId));
  }
  if (state.drag?.kind === "draw" && state.drag.rect) drawBox(ctx, state.drag.rect, PALETTE[state.currentClass % PALETTE.length], false, true);
  if (state.mode === "draw" && state.crosshair && state.pointer && !state.drag?.view) {
    const [x, y] = state.pointer;
    ctx.save();
    ctx.strokeStyle = "rgba(255,255,255,0.7)"; ctx.setLineDash([4, 4]); ctx.lineWidth = 1;
    ctx.beginPath(); ctx.moveTo(0, y + 0.5); ctx.lineTo(w, y + 0.5); ctx.moveTo(x + 0.5, 0); ctx.lineTo(x + 0.5, h); ctx.stroke();
    ctx.restore();
  }
}

/** Boxes or the selection changed: the list and the canvas. */
function changed() {
  renderBoxes();
  render();
}

function drawBox(ctx, [l, t, bw, bh], colour, selected, dashed = false, label = "") {
  const [x, y] = toScreen(l, t);
  const w = bw * state.view.s, h = bh * state.view.s;
  ctx.save();
  ctx.globalAlpha = state.opacity;
  ctx.fillStyle = colour;
  ctx.fillRect(x, y, w, h);
  ctx.globalAlpha = 1;
  ctx.lineWidth = selected ? 2.5 : 1.5;
  ctx.strokeStyle = colour;
  if (dashed) ctx.setLineDash([6, 4]);
  ctx.strokeRect(x, y, w, h);
  if (label) {  // the class, on a tag above the box (inside it at the image's top edge)
    ctx.font = "11px system-ui, sans-serif";
    const tagWidth = ctx.measureText(label).width + 8;
    const tagY = y >= 16 ? y - 16 : y;
    const tagX = selected ? x + HANDLE + 2 : x - 0.75;  // clear of the corner handle
    ctx.fillStyle = colour;
    ctx.fillRect(tagX, tagY, tagWidth, 16);
    ctx.fillStyle = "#111";
    ctx.fillText(label, tagX + 4, tagY + 12);
  }
  if (selected) {
    ctx.setLineDash([]);
    for (const [fx, fy] of HANDLES) {
      ctx.fillStyle = "#fff"; ctx.strokeStyle = "#111"; ctx.lineWidth = 1;
      ctx.fillRect(x + fx * w - HANDLE, y + fy * h - HANDLE, HANDLE * 2, HANDLE * 2);
      ctx.strokeRect(x + fx * w - HANDLE, y + fy * h - HANDLE, HANDLE * 2, HANDLE * 2);
    }
  }
  ctx.restore();
}

// ---------------------------------------------------------------- panels

/** The last part of an image's name (a job's images are named by their source path). */
function baseName(name) { return name.split("/").pop(); }

function className(id) { return state.queue?.categories.find((c) => c.id === id)?.name ?? `class ${id}`; }

/** A list entry that works by click and by keyboard (focusable; Enter or Space). */
function activatable(item, action) {
  item.tabIndex = 0;
  if (!item.getAttribute("role")) item.setAttribute("role", "button");
  item.addEventListener("click", action);
  item.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); action(); } });
}

/** Replaces a list's entries, keeping the keyboard focus on the same entry (by its `data-key`). */
function replaceEntries(list, entries) {
  const focused = list.contains(document.activeElement) ? document.activeElement.closest("li")?.dataset.key : undefined;
  list.replaceChildren(...entries);
  if (focused !== undefined) [...list.children].find((li) => li.dataset.key === focused)?.focus({ preventScroll: true });
}

function renderClasses() {
  const categories = state.queue?.categories || [];
  replaceEntries($("classes"), categories.map((c) => {
    const swatch = el("span", { className: "swatch" });
    swatch.style.background = PALETTE[c.id % PALETTE.length];
    const item = el("li", { className: c.id === state.currentClass ? "current" : "", title: "Class for new boxes" },
      swatch, el("span", { textContent: c.name }), c.id < 9 ? el("kbd", { textContent: String(c.id + 1) }) : "");
    item.setAttribute("role", "radio");
    item.setAttribute("aria-checked", String(c.id === state.currentClass));
    activatable(item, () => setClass(c.id));
    return item;
  }));
  const name = categories[0]?.name || "object";
  const names = categories.map((c) => c.name).join(", ");
  if (!state.queue?.job?.task?.shortInstruction) $("short-instructions").textContent =
    `Draw a tight box around every ${names || "object"} in the photo, partly hidden ones included. None here? Submit with no box.`;
  $("submit").dataset.none = `Submit: no ${name}s`;
}

function renderBoxes() {
  $("box-count").textContent = state.image ? `(${state.boxes.length})` : "";
  replaceEntries($("boxes"), state.boxes.map((box, i) => {
    const swatch = el("span", { className: "swatch" });
    swatch.style.background = PALETTE[box.classId % PALETTE.length];
    const [l, t, w, h] = box.box;
    const item = el("li", { className: box === state.selected ? "selected" : "" },
      swatch, el("span", { textContent: className(box.classId) }), el("span", { className: "geom", textContent: `${l},${t} ${w}×${h}` }));
    item.setAttribute("aria-pressed", String(box === state.selected));
    item.setAttribute("aria-label", `${className(box.classId)} box ${i + 1} at ${l}, ${t}, ${w} by ${h}`);
    item.dataset.key = String(i);
    const remove = el("button", { textContent: "×", title: "Delete this box" });
    remove.setAttribute("aria-label", `Delete ${className(box.classId)} box ${i + 1}`);
    remove.addEventListener("click", (e) => { e.stopPropagation(); deleteBox(box); });
    item.append(remove);
    activatable(item, () => select(box));
    return item;
  }));
  $("submit").textContent = state.boxes.length ? "Submit ✓" : ($("submit").dataset.none || "Submit: none here");
  verification.renderControls();
  $("undo").disabled = !state.image;
  $("redo").disabled = !state.redo.length;
}

function renderQueue() {
  const images = state.queue?.images || [];
  const prefix = $("filter").value;
  const current = state.image?.id;
  replaceEntries($("queue"), images.filter((i) => i.name.startsWith(prefix)).map((image) => {
    const item = el("li", { className: image.id === current ? "current" : "", title: image.name },
      el("span", { className: "mark", textContent: image.labeled ? "✓" : "" }), el("span", { textContent: baseName(image.name) }));
    item.dataset.id = image.id;
    item.dataset.key = String(image.id);
    if (image.id === current) item.setAttribute("aria-current", "true");
    item.setAttribute("aria-label", `${baseName(image.name)}${image.labeled ? ", done" : ""}`);
    activatable(item, () => openImage(image.id));
    return item;
  }));
  $("queue").querySelector(".current")?.scrollIntoView({ block: "nearest" });
  renderMeters();
}

function renderMeters() {
  const images = state.queue?.images || [];
  $("progress").textContent = `${images.filter((i) => i.labeled).length} / ${images.length} ${state.queue?.job ? "submitted" : "labeled"}`;
  if (state.freeTier) {
    const { labeled, cap, optedIn } = state.freeTier;
    $("free-tier").textContent = `free tier ${labeled} / ${cap}${optedIn ? " (opted in)" : ""}`;
  }
}

/** The job's status and live counters; once it is finished, that its output no longer changes. */
function renderJob(job) {
  $("job-panel").hidden = !job;
  if (!job) return;
  $("job-status").textContent = `${job.name}: ${job.status}`;
  const option = [...$("source").options].find((o) => o.value === "job=" + job.name);
  if (option) option.textContent = `${job.name} (${job.status})`;
  $("job-counters").replaceChildren(...Object.entries(job.counters).flatMap(([key, value]) =>
    [el("dt", { textContent: key }), el("dd", { textContent: String(value) })]));
  if (job.status !== "InProgress") {
    showBanner(`This labeling job is ${job.status}: its output manifest holds the answers submitted until then. Changes made now stay in its dataset only.`, false, "job-finished");
  }
}

/** What the job asks: its TaskTitle and TaskDescription, and its label category config's instructions. */
function renderTask(task) {
  $("task-title").textContent = task?.title || "";
  $("task-title").hidden = !task?.title;
  $("task-description").textContent = task?.description || "";
  $("task-description").hidden = !task?.description;
  if (task?.shortInstruction) $("short-instructions").textContent = plainText(task.shortInstruction);
  $("task-full-instructions").textContent = task?.fullInstruction ? plainText(task.fullInstruction) : "";
  $("task-full-instructions").hidden = !task?.fullInstruction;
}

/** Ground Truth's instructions may be HTML: shown as text (parsing does not run anything). */
function plainText(html) { return new DOMParser().parseFromString(html, "text/html").body.textContent.trim(); }

let statsTimer = null;
function scheduleStats() {
  clearTimeout(statsTimer);
  statsTimer = setTimeout(loadStats, 300);
}

async function loadStats() {
  if (!state.queue) return;
  try {
    const stats = await api("stats?" + query({ dataset: state.queue.dataset }));
    renderStats(stats);
    if (stats.job) renderJob(stats.job);
    state.freeTier = stats.freeTier;
    renderMeters();
  } catch { /* stats are a convenience; the next save retries */ }
}

function table(rows, max) {
  return el("table", {}, ...rows.map(([label, value]) => {
    const fill = el("div", { className: "bar-fill" });
    fill.style.width = (max ? (100 * value) / max : 0) + "%";
    return el("tr", {}, el("td", { textContent: label }), el("td", { className: "barcell" }, fill), el("td", { className: "num", textContent: String(value) }));
  }));
}

function renderStats(stats) {
  const parts = [el("div", { textContent: `${stats.labeled} of ${stats.images} images labeled, ${stats.boxes} boxes` })];
  parts.push(el("h2", { textContent: "Boxes per class" }));
  parts.push(table(stats.classes.map((c) => [`${c.name} (${c.images} img)`, c.boxes]), Math.max(1, ...stats.classes.map((c) => c.boxes))));
  parts.push(el("h2", { textContent: "Boxes per image" }));
  parts.push(table(stats.boxesPerImage.map(([n, images]) => [`${n} box${n === 1 ? "" : "es"}`, images]), Math.max(1, ...stats.boxesPerImage.map((p) => p[1]))));
  parts.push(el("h2", { textContent: "Box size (share of image)" }));
  let low = 0;
  parts.push(table(stats.boxSizes.map(([high, n]) => { const label = `${fmtShare(low)}–${fmtShare(high)}`; low = high; return [label, n]; }), Math.max(1, ...stats.boxSizes.map((s) => s[1]))));
  if (stats.imbalanceWarning) parts.push(el("p", { className: "warning", textContent: "⚠ " + stats.imbalanceWarning }));
  $("stats").replaceChildren(...parts);
}

function fmtShare(x) { return x === 0 ? "0" : `${+(x * 100).toPrecision(2)}%`; }

/** Shows a message; `kind` names the condition it reports, so `clearBanner(kind)` removes it once that is over. */
function showBanner(text, error, kind = "note") {
  $("banner-text").textContent = text;
  $("banner").classList.toggle("error", !!error);
  $("banner").dataset.kind = kind;
  $("banner").hidden = false;
}

function clearBanner(kind) { if ($("banner").dataset.kind === kind) $("banner").hidden = true; }

// ---------------------------------------------------------------- start

function wire() {
  const canvas = $("canvas");
  canvas.addEventListener("pointerdown", onPointerDown);
  canvas.addEventListener("pointermove", onPointerMove);
  canvas.addEventListener("pointerup", onPointerUp);
  canvas.addEventListener("pointerleave", () => { state.pointer = null; render(); });
  canvas.addEventListener("wheel", onWheel, { passive: false });
  canvas.addEventListener("auxclick", (e) => e.preventDefault());
  window.addEventListener("keydown", onKeyDown);
  window.addEventListener("keyup", (e) => { if (e.key === " ") { state.space = false; $("canvas").style.cursor = ""; } });
  // The view refits when the stage changes size (window resize, a banner shown or hidden) if it was fitted.
  new ResizeObserver(() => { if (state.fitted) fit(); else render(); }).observe($("stage"));
  window.addEventListener("beforeunload", (e) => { if (outbox.count) { e.preventDefault(); e.returnValue = ""; } });
  // After a button click the keys go to the canvas again (Enter or Space must not press the button twice).
  // After a mouse click on a button the keys go to the canvas again (Enter or Space must not press the button
  // twice); a button pressed from the keyboard (detail 0) keeps the focus, so Tab goes on from there.
  document.addEventListener("click", (e) => {
    if (e.detail > 0 && e.target.closest("button") && !e.target.closest("dialog")) $("stage").focus({ preventScroll: true });
  });
  $("mode-draw").addEventListener("click", () => setMode("draw"));
  $("mode-select").addEventListener("click", () => setMode("select"));
  $("zoom-in").addEventListener("click", () => zoomCentre(1.25));
  $("zoom-out").addEventListener("click", () => zoomCentre(0.8));
  $("zoom-fit").addEventListener("click", fit);
  $("zoom-actual").addEventListener("click", () => state.image && setView(1));
  $("undo").addEventListener("click", undo);
  $("redo").addEventListener("click", redo);
  $("toggle-boxes").addEventListener("click", toggleBoxes);
  $("opacity").addEventListener("input", () => { state.opacity = Number($("opacity").value) / 100; render(); });
  $("crosshair").addEventListener("change", () => { state.crosshair = $("crosshair").checked; render(); });
  $("prelabel").addEventListener("click", prelabel);
  $("prev").addEventListener("click", () => go(Math.max(0, currentIndex() - 1)));
  $("next").addEventListener("click", () => go(nextIndex(false)));
  $("skip").addEventListener("click", () => go(nextIndex(true)));
  $("submit").addEventListener("click", submit);
  verification.wire();
  $("help-button").addEventListener("click", () => $("help").showModal());
  $("confirm-none").addEventListener("close", () => {
    if ($("confirm-none").returnValue === "submit") submitNow();
    $("stage").focus({ preventScroll: true });
  });
  setInterval(() => { if (state.queue?.job && !document.hidden) loadStats(); }, 10000);  // other workers' progress
  $("banner-close").addEventListener("click", () => { $("banner").hidden = true; });
  $("filter").addEventListener("input", renderQueue);
  for (const id of ["sample", "seed"]) $(id).addEventListener("change", () => state.source && openSource(state.source.kind, state.source.name));
  $("source").addEventListener("change", () => {
    const [kind, ...rest] = $("source").value.split("=");
    if (kind) openSource(kind, rest.join("=")).catch((e) => showBanner(e.message, true));
  });
  setInterval(() => {
    const seconds = Math.floor((Date.now() - state.openedAt) / 1000);
    $("timer").textContent = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
  }, 1000);
}

/** Opens what the URL's fragment names (`#job=NAME&image=ID`, `#dataset=NAME`). */
async function openFromHash() {
  const params = hashParams();
  const kind = params.has("job") ? "job" : params.has("dataset") ? "dataset" : null;
  if (!kind) return;
  const imageId = Number(params.get("image")) || undefined;
  if (state.source?.kind === kind && state.source.name === params.get(kind)) { if (imageId && imageId !== state.image?.id) await openImage(imageId); }
  else await openSource(kind, params.get(kind), imageId);
}

async function start() {
  wire();
  window.addEventListener("hashchange", () => openFromHash().catch((e) => showBanner(e.message, true)));
  setMode("draw");
  document.body.dataset.saveState = "idle";
  outbox.adopt();  // what a closed tab or the page before a reload left unsent
  try {
    await loadSources();
    await openFromHash();
    renderSaveState();
  } catch (error) {
    showBanner(error.message, true);
  }
  document.body.dataset.ready = "true";
}

/** For tests and scripts: where an image pixel is on screen, and what is shown. */
window.apiaryLabel = {
  imageToClient(x, y) { const r = $("canvas").getBoundingClientRect(); const [sx, sy] = toScreen(x, y); return [r.left + sx, r.top + sy]; },
  boxes: () => state.boxes.map((b) => ({ id: b.id, classId: b.classId, box: b.box.slice() })),
  selectedId: () => state.selected?.id ?? null,
  view: () => ({ ...state.view }),
};

start();
