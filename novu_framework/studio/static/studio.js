// novu-framework Studio: one page, no build step, no network beyond this server.
// Every piece of text from the server goes into the page with textContent, never as HTML; email
// bodies are shown only inside sandboxed frames (no scripts, no forms, a unique origin).
"use strict";

const STATUSES = ["pending", "running", "waiting", "completed", "failed", "canceled", "merged", "throttled"];
const TERMINAL = new Set(["completed", "failed", "canceled", "merged", "throttled"]);
const KIND_LABEL = {
  email: "Email", sms: "SMS", push: "Push", chat: "Chat", in_app: "In-app",
  delay: "Delay", digest: "Digest", throttle: "Throttle", custom: "Custom",
};
const EMAIL_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:";

let live = null; // the EventSource of the current view
let workflowsCache = null;

// --- small helpers ---------------------------------------------------------------------------------

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") el.className = value;
    else if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (key === "text") el.textContent = value;
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

class ApiError extends Error {
  constructor(status, body) {
    super(body && body.message ? body.message : `HTTP ${status}`);
    this.status = status;
    this.body = body || {};
  }
}

async function api(path, body) {
  const options = body === undefined ? {} : {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body),
  };
  const response = await fetch(path, options);
  let data = null;
  try { data = await response.json(); } catch (e) { data = { message: `HTTP ${response.status}` }; }
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

function time(ms) {
  if (ms === null || ms === undefined) return "—";
  const d = new Date(ms);
  return d.toLocaleString(undefined, { year: "numeric", month: "short", day: "numeric",
    hour: "2-digit", minute: "2-digit", second: "2-digit" });
}

function duration(ms) {
  if (ms === null || ms === undefined) return "";
  const abs = Math.abs(ms);
  if (abs < 1000) return `${Math.round(ms)} ms`;
  if (abs < 60000) return `${(ms / 1000).toFixed(1)} s`;
  if (abs < 3600000) return `${Math.round(ms / 60000)} min`;
  if (abs < 86400000) return `${(ms / 3600000).toFixed(1)} h`;
  return `${(ms / 86400000).toFixed(1)} days`;
}

function badge(status) { return h("span", { class: `badge s-${status}`, text: status }); }
function kind(type) { return h("span", { class: `kind k-${type}`, text: KIND_LABEL[type] || type }); }
function json(value) { return h("pre", { class: "json", text: JSON.stringify(value, null, 2) }); }
function details(summary, ...body) { return h("details", {}, h("summary", { text: summary }), ...body); }

function closeLive() { if (live) { live.close(); live = null; } }

// replaceChildren() turns null into the text "null": drop the parts a view leaves out.
function put(el, ...nodes) { el.replaceChildren(...nodes.flat().filter((n) => n !== null && n !== undefined && n !== false)); }
function render(...nodes) { put(document.getElementById("main"), ...nodes); }
// Run ids are UUIDv7: the start is the time, the end tells runs apart.
function shortId(id) { return id.length > 16 ? `…${id.slice(-10)}` : id; }

function errorBox(err) {
  const box = h("div", { class: "error", role: "alert" }, h("strong", { text: err.message || String(err) }));
  const data = err.body && err.body.data;
  if (Array.isArray(data)) {
    box.append(h("ul", {}, data.map((d) => h("li", {}, h("code", { text: d.path || "/" }), " ", d.message || ""))));
  } else if (data) {
    box.append(json(data));
  }
  if (err.body && err.body.code) box.append(h("div", { class: "muted small", text: err.body.code }));
  return box;
}

async function workflows(fresh) {
  if (!workflowsCache || fresh) workflowsCache = await api("api/workflows");
  return workflowsCache;
}

// --- JSON Schema forms -------------------------------------------------------------------------------

function resolve(schema, root) {
  let s = schema || {};
  for (let i = 0; i < 10 && s.$ref; i++) {
    const parts = s.$ref.replace(/^#\//, "").split("/");
    let target = root;
    for (const p of parts) target = target ? target[p] : undefined;
    s = { ...(target || {}), ...Object.fromEntries(Object.entries(s).filter(([k]) => k !== "$ref")) };
  }
  const union = s.anyOf || s.oneOf;
  if (union && !s.type) {
    const real = union.filter((u) => u.type !== "null");
    if (real.length === 1) return { ...resolve(real[0], root), ...s, anyOf: undefined, oneOf: undefined, nullable: true };
  }
  if (Array.isArray(s.type)) {
    const real = s.type.filter((t) => t !== "null");
    if (real.length === 1) return { ...s, type: real[0], nullable: true };
  }
  return s;
}

function sample(schema, root, name) {
  const s = resolve(schema, root);
  if (s.default !== undefined) return s.default;
  if (Array.isArray(s.examples) && s.examples.length) return s.examples[0];
  if (s.const !== undefined) return s.const;
  if (Array.isArray(s.enum) && s.enum.length) return s.enum[0];
  switch (s.type) {
    case "object": {
      const out = {};
      for (const [key, sub] of Object.entries(s.properties || {})) out[key] = sample(sub, root, key);
      return out;
    }
    case "array": return [];
    case "boolean": return false;
    case "integer": case "number": return s.minimum !== undefined ? s.minimum : 0;
    case "string":
      if (s.format === "email") return "ada@example.com";
      if (s.format === "uri") return "https://example.com";
      return name ? `Example ${String(name).replace(/[_-]+/g, " ")}` : "";
    default: return s.properties ? sample({ ...s, type: "object" }, root, name) : null;
  }
}

function pointer(parts) { return parts.length ? "/" + parts.map((p) => String(p).replace(/~/g, "~0").replace(/\//g, "~1")).join("/") : ""; }

// A form for one schema node: returns { el, get } where get() is the current value.
function field(schema, root, value, path, label, onChange) {
  const s = resolve(schema, root);
  const id = `f${pointer(path).replace(/[^a-zA-Z0-9]+/g, "-")}-${Math.random().toString(36).slice(2, 7)}`;
  const err = h("div", { class: "field-error", "data-error-for": pointer(path), role: "status" });
  const title = s.title || label;
  const help = s.description ? h("div", { class: "help", text: s.description }) : null;
  const wrap = (input, extraClass) => h("div", { class: `field ${extraClass || ""}`, "data-path": pointer(path) },
    title !== undefined ? h("label", { for: id }, h("span", { text: title }), h("code", { class: "type", text: s.enum ? "enum" : s.type || "any" })) : null,
    input, help, err);

  if (s.type === "object" || (s.properties && !s.type)) {
    const parts = {};
    const box = h("fieldset", { class: "object" }, title !== undefined ? h("legend", { text: title }) : null);
    const base = value !== undefined ? value : s.default;
    for (const [key, sub] of Object.entries(s.properties || {})) {
      const current = base && typeof base === "object" ? base[key] : undefined;
      parts[key] = field(sub, root, current, [...path, key], key, onChange);
      box.append(parts[key].el);
    }
    box.append(err);
    return { el: h("div", { class: "field", "data-path": pointer(path) }, box), get() {
      const out = {};
      for (const [key, part] of Object.entries(parts)) {
        const v = part.get();
        if (v !== undefined) out[key] = v;
      }
      return out;
    } };
  }
  if (s.type === "array") {
    const items = [];
    const list = h("div", { class: "array-items" });
    const add = (v) => {
      const index = items.length;
      const part = field(s.items || {}, root, v, [...path, index], `#${index + 1}`, onChange);
      const row = h("div", { class: "array-item" }, part.el, h("button", { type: "button", class: "ghost small",
        "aria-label": `Remove item ${index + 1}`, onclick: () => { row.remove(); items.splice(items.indexOf(entry), 1); onChange(); } }, "Remove"));
      const entry = { part, row };
      items.push(entry);
      list.append(row);
    };
    (Array.isArray(value) ? value : Array.isArray(s.default) ? s.default : []).forEach(add);
    const addButton = h("button", { type: "button", class: "ghost small", onclick: () => { add(sample(s.items || {}, root)); onChange(); } }, "Add item");
    return { el: h("div", { class: "field", "data-path": pointer(path) },
      h("fieldset", { class: "array" }, h("legend", { text: title || "items" }), list, addButton, help, err)),
    get: () => items.map((e) => e.part.get()) };
  }
  const initial = value !== undefined ? value : s.default;
  if (Array.isArray(s.enum)) {
    const select = h("select", { id, onchange: onChange },
      s.enum.map((option) => h("option", { value: JSON.stringify(option), text: String(option) })));
    if (initial !== undefined) select.value = JSON.stringify(initial);
    return { el: wrap(select), get: () => JSON.parse(select.value) };
  }
  if (s.type === "boolean") {
    const box = h("input", { id, type: "checkbox", onchange: onChange });
    box.checked = Boolean(initial);
    return { el: wrap(box, "check"), get: () => box.checked };
  }
  if (s.type === "integer" || s.type === "number") {
    const input = h("input", { id, type: "number", step: s.type === "integer" ? "1" : "any",
      min: s.minimum, max: s.maximum, oninput: onChange });
    if (initial !== undefined && initial !== null) input.value = String(initial);
    return { el: wrap(input), get() {
      if (input.value === "") return input.validity.badInput ? "not a number" : undefined;
      return Number(input.value);
    } };
  }
  if (s.type === "string") {
    const long = (typeof initial === "string" && (initial.length > 60 || initial.includes("\n"))) || s.format === "textarea";
    const input = long ? h("textarea", { id, rows: 4, oninput: onChange }) : h("input", { id, type: "text", oninput: onChange });
    if (initial !== undefined && initial !== null) input.value = String(initial);
    return { el: wrap(input), get: () => (input.value === "" && initial === undefined ? undefined : input.value) };
  }
  // Anything else: edited as JSON.
  const area = h("textarea", { id, rows: 3, class: "mono", oninput: onChange });
  area.value = initial === undefined ? "" : JSON.stringify(initial, null, 2);
  return { el: wrap(area), get() {
    if (area.value.trim() === "") return undefined;
    try { return JSON.parse(area.value); } catch (e) { return area.value; }
  } };
}

function showFieldErrors(container, err) {
  container.querySelectorAll(".field-error").forEach((e) => { e.textContent = ""; });
  container.querySelectorAll(".field.invalid").forEach((e) => e.classList.remove("invalid"));
  const data = err && err.body && err.body.data;
  const unplaced = [];
  if (Array.isArray(data)) {
    for (const d of data) {
      const slot = container.querySelector(`[data-error-for="${CSS.escape(d.path || "")}"]`);
      if (slot) {
        slot.textContent = slot.textContent ? `${slot.textContent}; ${d.message}` : d.message;
        slot.closest(".field").classList.add("invalid");
      } else unplaced.push(d);
    }
  }
  return unplaced;
}

// --- previews --------------------------------------------------------------------------------------

function emailFrame(html, title) {
  const frame = h("iframe", { class: "email-frame", sandbox: "", referrerpolicy: "no-referrer", title: title || "Email" });
  frame.srcdoc = `<!doctype html><meta http-equiv="Content-Security-Policy" content="${EMAIL_CSP}"><meta charset="utf-8">` +
    `<style>body{font:15px/1.5 system-ui,sans-serif;color:#1d1d28;margin:16px}</style>${html || ""}`;
  return frame;
}

function inAppCard(o) {
  const action = (a, cls) => a ? h("span", { class: `card-action ${cls}`, text: a.label || "Action" }) : null;
  return h("article", { class: "inapp-card" },
    o.avatar ? h("div", { class: "avatar", "aria-hidden": "true", text: "●" }) : null,
    h("div", {}, o.subject ? h("h4", { text: o.subject }) : null, h("p", { text: o.body || "" }),
      h("div", { class: "card-actions" }, action(o.primaryAction, "primary"), action(o.secondaryAction, "secondary"))));
}

function previewOf(type, outputs, computed) {
  const o = outputs || {};
  if (type === "email") {
    return h("div", { class: "preview-email" }, h("div", { class: "mail-head" }, h("span", { class: "muted", text: "Subject" }), h("strong", { class: "mail-subject", text: o.subject || "" })), emailFrame(o.body, o.subject));
  }
  if (type === "in_app") return inAppCard(o);
  if (type === "sms") return h("div", { class: "bubble" }, h("p", { class: "preview-text", text: o.body || "" }));
  if (type === "chat") return h("div", { class: "bubble chat" }, h("p", { class: "preview-text", text: o.body || "" }));
  if (type === "push") return h("div", { class: "push" }, h("strong", { class: "preview-subject", text: o.subject || "" }), h("p", { class: "preview-text", text: o.body || "" }));
  const box = h("div", { class: "computed" });
  if (computed && computed.error) box.append(h("div", { class: "error", text: computed.error }));
  else if (computed && type === "delay") box.append(h("p", { class: "preview-text" }, "Waits ", h("strong", { text: duration(computed.waitsMs) }), ` — a run starting now resumes at ${time(Date.parse(computed.until))}`));
  else if (computed && type === "digest") box.append(h("p", { class: "preview-text" }, "Collects events for ", h("strong", { text: duration(computed.waitsMs) }), ` (window closes at ${time(Date.parse(computed.closesAt))}), grouped by key `, h("code", { text: computed.digestKey || "(none)" })));
  else if (computed && type === "throttle") box.append(h("p", { class: "preview-text" }, "At most ", h("strong", { text: String(computed.threshold) }), ` run(s) since ${time(Date.parse(computed.windowStart))} go on`));
  box.append(h("h4", { text: "Outputs" }), json(o));
  return box;
}

// --- pages: workflows ------------------------------------------------------------------------------

async function pageWorkflows() {
  const data = await workflows(true);
  const counts = data.runCounts || {};
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  render(
    h("div", { class: "page-head" }, h("h1", { text: "Workflows" }),
      h("p", { class: "muted" }, `${data.workflows.length} workflow(s) served by this bridge · ${total} run(s) in the local store`)),
    h("div", { class: "cards" }, data.workflows.map((wf) => h("section", { class: "card wf-card" },
      h("div", { class: "wf-title" }, h("h2", {}, h("a", { href: `#/workflows/${encodeURIComponent(wf.workflowId)}`, text: wf.name || wf.workflowId })),
        wf.severity && wf.severity !== "none" ? h("span", { class: `sev sev-${wf.severity}`, text: wf.severity }) : null),
      h("div", { class: "muted mono small", text: wf.workflowId }),
      wf.description ? h("p", { text: wf.description }) : null,
      h("div", { class: "tags" }, (wf.tags || []).map((t) => h("span", { class: "tag", text: t }))),
      h("ol", { class: "step-chips" }, wf.steps.map((st) => h("li", {}, kind(st.type), h("span", { class: "mono", text: st.stepId }),
        st.hasSkip ? h("span", { class: "flag", text: "skip condition" }) : null))),
      h("div", { class: "card-foot" },
        h("a", { class: "button", href: `#/workflows/${encodeURIComponent(wf.workflowId)}` }, "Open"),
        h("a", { class: "button ghost", href: `#/trigger/${encodeURIComponent(wf.workflowId)}` }, "Trigger"),
        h("a", { class: "button ghost", href: `#/runs?workflow=${encodeURIComponent(wf.workflowId)}` }, "Runs")))))
  );
}

function hasControls(step) {
  const schema = step.controls && step.controls.schema;
  return Boolean(schema && schema.properties && Object.keys(schema.properties).length);
}

function preferencesTable(prefs) {
  if (!prefs) return h("p", { class: "muted", text: "Default preferences" });
  const rows = [];
  if (prefs.all) rows.push(h("tr", {}, h("th", { text: "all" }), h("td", { text: prefs.all.enabled === false ? "off" : "on" }), h("td", { text: prefs.all.readOnly ? "read-only" : "" })));
  for (const [ch, v] of Object.entries(prefs.channels || {})) rows.push(h("tr", {}, h("th", { text: ch }), h("td", { text: v.enabled === false ? "off" : "on" }), h("td", { text: "" })));
  return h("table", { class: "mini" }, h("tbody", {}, rows));
}

async function pageWorkflow(id, stepId) {
  const data = await workflows(!stepId);
  const wf = data.workflows.find((w) => w.workflowId === id);
  if (!wf) { render(errorBox(new Error(`No workflow with id ${id}`))); return; }
  const step = wf.steps.find((s) => s.stepId === stepId) || wf.steps[0];
  const stepLinks = h("ol", { class: "step-list" }, wf.steps.map((st, i) => h("li", {},
    h("a", { href: `#/workflows/${encodeURIComponent(wf.workflowId)}/${encodeURIComponent(st.stepId)}`, class: st === step ? "active" : "", "aria-current": st === step ? "page" : null },
      h("span", { class: "pos", text: String(i + 1) }), kind(st.type), h("span", { class: "mono", text: st.stepId }),
      hasControls(st) ? h("span", { class: "flag", title: "has controls", text: st.savedControls ? "saved controls" : "controls" }) : null,
      st.hasSkip ? h("span", { class: "flag", title: "runs only when its skip condition is false", text: "skip condition" }) : null,
      (st.providers || []).length ? h("span", { class: "flag", text: `providers: ${st.providers.map((p) => p.type).join(", ")}` }) : null))));
  const info = h("aside", { class: "wf-info" },
    h("h1", { text: wf.name || wf.workflowId }), h("div", { class: "muted mono small", text: wf.workflowId }),
    wf.description ? h("p", { text: wf.description }) : null,
    h("div", { class: "tags" }, (wf.tags || []).map((t) => h("span", { class: "tag", text: t })), h("span", { class: "tag sev-tag", text: `severity: ${wf.severity || "none"}` })),
    h("div", { class: "actions" }, h("a", { class: "button", href: `#/trigger/${encodeURIComponent(wf.workflowId)}` }, "Trigger…"), h("a", { class: "button ghost", href: `#/runs?workflow=${encodeURIComponent(wf.workflowId)}` }, "Runs")),
    h("h3", { text: "Steps" }), stepLinks,
    h("h3", { text: "Preferences" }), preferencesTable(wf.preferences),
    details("Payload schema", json(wf.payload && wf.payload.schema)),
    details("Workflow controls schema", json(wf.controls && wf.controls.schema)));
  const editor = h("section", { class: "step-editor", "aria-label": "Step preview" });
  render(h("div", { class: "wf-layout" }, info, editor));
  if (step) stepEditor(editor, wf, step);
}

function stepEditor(root, wf, step) {
  const controlSchema = (step.controls && step.controls.schema) || { type: "object", properties: {} };
  const payloadSchema = (wf.payload && wf.payload.schema) || { type: "object", properties: {} };
  const status = h("span", { class: "muted small", role: "status" });
  const previewBox = h("div", { class: "preview", "aria-live": "polite" });
  const formErrors = h("div");
  let timer = null;
  const schedule = () => { clearTimeout(timer); timer = setTimeout(run, 200); };
  const controls = field(controlSchema, controlSchema, step.savedControls || undefined, [], undefined, schedule);
  const payloadArea = h("textarea", { id: "payload-editor", class: "mono", rows: 8, spellcheck: "false", oninput: schedule });
  payloadArea.value = JSON.stringify(sample(payloadSchema, payloadSchema), null, 2);
  const payloadError = h("div", { class: "field-error", id: "payload-error" });

  async function run() {
    payloadError.textContent = "";
    let payload;
    try { payload = JSON.parse(payloadArea.value || "{}"); } catch (e) { payloadError.textContent = `Not valid JSON: ${e.message}`; return; }
    status.textContent = "Rendering…";
    try {
      const out = await api("api/preview", { workflowId: wf.workflowId, stepId: step.stepId, controls: controls.get(), payload });
      showFieldErrors(root, null);
      formErrors.replaceChildren();
      previewBox.replaceChildren(previewOf(step.type, out.outputs, out.computed));
      status.textContent = `Rendered in ${Math.round(out.metadata ? out.metadata.duration : 0)} ms`;
    } catch (err) {
      const rest = showFieldErrors(root, err);
      formErrors.replaceChildren(...(rest.length || !(err.body && Array.isArray(err.body.data)) ? [errorBox(err)] : []));
      status.textContent = "The bridge refused these controls";
    }
  }
  async function save() {
    let payload = {};
    try { payload = JSON.parse(payloadArea.value || "{}"); } catch (e) { /* checked by preview */ }
    try {
      await api("api/controls", { workflowId: wf.workflowId, stepId: step.stepId, controls: controls.get(), payload });
      status.textContent = "Saved: local runs use these controls";
      step.savedControls = controls.get();
      savedNote.textContent = "Saved controls are used by local runs of this step.";
    } catch (err) {
      showFieldErrors(root, err);
      formErrors.replaceChildren(errorBox(err));
      status.textContent = "Not saved";
    }
  }
  async function reset() {
    await api("api/controls/reset", { workflowId: wf.workflowId, stepId: step.stepId });
    step.savedControls = null;
    stepEditor(root, wf, step);
  }
  const savedNote = h("p", { class: "muted small", text: step.savedControls ? "Saved controls are used by local runs of this step." : "Local runs use the schema's defaults until you save." });
  const noControls = Object.keys(controlSchema.properties || {}).length === 0;
  put(root, 
    h("div", { class: "editor-head" }, kind(step.type), h("h2", { class: "mono", text: step.stepId }), status),
    h("div", { class: "editor-grid" },
      h("form", { class: "panel controls-form", onsubmit: (e) => { e.preventDefault(); save(); } },
        h("h3", { text: "Controls" }),
        noControls ? h("p", { class: "muted", text: "This step has no controls." }) : controls.el,
        formErrors,
        h("div", { class: "field" }, h("label", { for: "payload-editor" }, h("span", { text: "Payload" }), h("code", { class: "type", text: "JSON" })), payloadArea, payloadError),
        h("div", { class: "actions" },
          noControls ? null : h("button", { type: "submit" }, "Save controls"),
          noControls ? null : h("button", { type: "button", class: "ghost", onclick: reset }, "Reset to defaults")),
        savedNote),
      h("div", { class: "panel" }, h("h3", { text: "Preview" }), previewBox)));
  run();
}

// --- pages: trigger --------------------------------------------------------------------------------

async function pageTrigger(id) {
  const data = await workflows(false);
  const wf = data.workflows.find((w) => w.workflowId === id);
  if (!wf) { render(errorBox(new Error(`No workflow with id ${id}`))); return; }
  const schema = (wf.payload && wf.payload.schema) || { type: "object", properties: {} };
  const payload = field(schema, schema, sample(schema, schema), [], undefined, () => {});
  const input = (name, label, attrs) => h("div", { class: "field" }, h("label", { for: `t-${name}` }, h("span", { text: label })), h("input", { id: `t-${name}`, name, ...(attrs || {}) }));
  const out = h("div", { "aria-live": "polite" });
  const form = h("form", { class: "panel trigger-form", onsubmit: async (e) => {
    e.preventDefault();
    const value = (n) => form.querySelector(`[name=${n}]`).value.trim();
    let to;
    if (value("topic")) to = { type: "Topic", topicKey: value("topic") };
    else {
      to = { subscriberId: value("subscriberId") };
      if (value("email")) to.email = value("email");
      if (value("phone")) to.phone = value("phone");
      if (value("firstName")) to.firstName = value("firstName");
    }
    const body = { workflowId: wf.workflowId, to, payload: payload.get() };
    if (value("transactionId")) body.transactionId = value("transactionId");
    try {
      const result = await api("api/trigger", body);
      showFieldErrors(form, null);
      out.replaceChildren(h("div", { class: "ok" }, "Triggered · transaction ", h("code", { text: result.transactionId })));
      if (result.runs.length === 1) location.hash = `#/runs/${encodeURIComponent(result.runs[0])}`;
      else location.hash = `#/runs?workflow=${encodeURIComponent(wf.workflowId)}`;
    } catch (err) {
      const rest = showFieldErrors(form, err);
      out.replaceChildren(errorBox(err));
      if (!rest.length) out.firstChild.classList.add("with-fields");
    }
  } },
  h("h3", { text: "Payload" }), payload.el,
  h("h3", { text: "Recipient" }),
  h("div", { class: "row" }, input("subscriberId", "Subscriber id", { value: "studio-user", autocomplete: "off" }), input("email", "Email", { type: "email", value: "ada@example.com" })),
  h("div", { class: "row" }, input("firstName", "First name", { value: "Ada" }), input("phone", "Phone", { placeholder: "+15550100" })),
  h("div", { class: "row" }, input("topic", "…or a topic key (instead of the subscriber)", { placeholder: "e.g. project-42" }), input("transactionId", "Transaction id (optional)", { placeholder: "generated" })),
  h("div", { class: "actions" }, h("button", { type: "submit" }, "Trigger run")), out);
  render(h("div", { class: "page-head" }, h("h1", {}, "Trigger ", h("a", { href: `#/workflows/${encodeURIComponent(wf.workflowId)}`, text: wf.name || wf.workflowId })),
    h("p", { class: "muted", text: "The same validation as trigger(): errors show at their field." })), form);
}

// --- pages: runs -----------------------------------------------------------------------------------

function queryOf(hash) {
  const i = hash.indexOf("?");
  return new URLSearchParams(i >= 0 ? hash.slice(i + 1) : "");
}

async function pageRuns(params) {
  const data = await workflows(false);
  const filters = new URLSearchParams();
  for (const k of ["workflow", "subscriber", "status", "since", "until"]) if (params.get(k)) filters.set(k, params.get(k));
  const after = params.get("after") || "";
  const pageNo = Number(params.get("page") || "1");
  const localInput = (ms) => { if (!ms) return ""; const d = new Date(Number(ms)); d.setMinutes(d.getMinutes() - d.getTimezoneOffset()); return d.toISOString().slice(0, 16); };
  const form = h("form", { class: "filters", role: "search", onsubmit: (e) => {
    e.preventDefault();
    const next = new URLSearchParams();
    const v = (n) => form.querySelector(`[name=${n}]`).value;
    if (v("workflow")) next.set("workflow", v("workflow"));
    if (v("subscriber").trim()) next.set("subscriber", v("subscriber").trim());
    if (v("status")) next.set("status", v("status"));
    if (v("since")) next.set("since", String(new Date(v("since")).getTime()));
    if (v("until")) next.set("until", String(new Date(v("until")).getTime()));
    location.hash = `#/runs?${next}`;
  } },
  h("label", {}, "Workflow", h("select", { name: "workflow" }, h("option", { value: "", text: "All" }), data.workflows.map((w) => h("option", { value: w.workflowId, text: w.workflowId, selected: params.get("workflow") === w.workflowId })))),
  h("label", {}, "Subscriber", h("input", { name: "subscriber", value: params.get("subscriber") || "", placeholder: "subscriber id" })),
  h("label", {}, "Status", h("select", { name: "status" }, h("option", { value: "", text: "Any" }), STATUSES.map((s) => h("option", { value: s, text: s, selected: params.get("status") === s })))),
  h("label", {}, "From", h("input", { name: "since", type: "datetime-local", value: localInput(params.get("since")) })),
  h("label", {}, "Until", h("input", { name: "until", type: "datetime-local", value: localInput(params.get("until")) })),
  h("button", { type: "submit" }, "Filter"), h("a", { class: "button ghost", href: "#/runs" }, "Clear"));
  const tbody = h("tbody");
  const pager = h("div", { class: "pager" });
  const table = h("table", { class: "runs" }, h("thead", {}, h("tr", {}, ["Started", "Workflow", "Subscriber", "Status", "Finished", "Run"].map((t) => h("th", { scope: "col", text: t })))), tbody);
  const fill = (page) => {
    put(tbody, ...page.runs.map((r) => h("tr", {},
      h("td", {}, h("a", { href: `#/runs/${encodeURIComponent(r.id)}`, text: time(r.created_at) })),
      h("td", { class: "mono", text: r.workflow_id }), h("td", { class: "mono", text: r.subscriber_id }),
      h("td", {}, badge(r.status), r.status === "waiting" && r.next_at ? h("span", { class: "muted small", text: ` until ${time(r.next_at)}` }) : null),
      h("td", { text: r.finished_at ? time(r.finished_at) : "" }),
      h("td", { class: "mono small muted", text: shortId(r.id) }))));
    if (!page.runs.length) tbody.append(h("tr", {}, h("td", { colspan: 6, class: "muted", text: "No runs match." })));
    const links = [];
    if (pageNo > 1) links.push(h("a", { class: "button ghost", href: `#/runs?${filters}`, text: "« Newest" }));
    links.push(h("span", { class: "muted", text: `Page ${pageNo}` }));
    if (page.next) { const q = new URLSearchParams(filters); q.set("after", page.next); q.set("page", String(pageNo + 1)); links.push(h("a", { class: "button ghost", href: `#/runs?${q}`, rel: "next", text: "Older »" })); }
    put(pager, ...links);
  };
  const q = new URLSearchParams(filters);
  if (after) q.set("after", after);
  const t0 = performance.now();
  const page = await api(`api/runs?${q}`);
  fill(page);
  render(h("div", { class: "page-head" }, h("h1", { text: "Runs" }), h("p", { class: "muted", id: "runs-timing", text: `${page.runs.length} shown · loaded in ${Math.round(performance.now() - t0)} ms${after ? "" : " · live"}` })), form, table, pager);
  if (!after) {
    live = new EventSource(`api/runs/events?${filters}`);
    live.addEventListener("runs", (e) => fill(JSON.parse(e.data)));
  }
}

function stepBlock(st, wf) {
  const waits = st.wait_until && !TERMINAL.has(st.status) && st.status !== "completed";
  const resultOf = st.result || {};
  const body = h("div", { class: "step-body" });
  if (st.status === "skipped") body.append(h("p", { class: "skip-reason" }, "Skipped", st.error ? `: ${st.error}` : " (its skip condition was true)"));
  else if (st.error) body.append(h("p", { class: "error small", text: st.error }));
  if (waits) body.append(h("p", { class: "wait" }, st.status === "delivering" ? "Retry at " : "Waits until ", h("strong", { text: time(st.wait_until) }), ` (in ${duration(st.wait_until - Date.now())})`));
  if (st.step_type === "digest" && Array.isArray(resultOf.events)) {
    body.append(h("div", { class: "digest" }, h("h4", { text: `${resultOf.eventCount || resultOf.events.length} digested event(s)` }),
      h("ol", {}, resultOf.events.map((ev) => h("li", {}, h("a", { href: `#/runs/${encodeURIComponent(ev.id)}`, class: "mono", text: shortId(ev.id) }), ` · ${time(Date.parse(ev.time))} · `, h("code", { text: JSON.stringify(ev.payload) }))))));
  }
  if (["email", "in_app", "sms", "push", "chat"].includes(st.step_type) && st.outputs && Object.keys(st.outputs).length) {
    body.append(details("Message", previewOf(st.step_type, st.outputs, null)));
  }
  body.append(details("Outputs", json(st.outputs)));
  if (st.result && Object.keys(st.result).length && st.step_type !== "digest") body.append(details("Result", json(st.result)));
  for (const d of st.deliveries || []) {
    body.append(h("div", { class: "delivery" }, h("div", {}, h("strong", { text: `${d.channel} via ${d.provider}` }), " to ", h("code", { text: d.recipient || "—" }), " ", badge(d.status)),
      h("table", { class: "mini attempts" }, h("thead", {}, h("tr", {}, ["Attempt", "Status", "Started", "Took", "Error / response"].map((t) => h("th", { text: t })))),
        h("tbody", {}, d.attempts.map((a) => h("tr", {}, h("td", { text: String(a.attempt) }), h("td", {}, badge(a.status)), h("td", { text: time(a.started_at) }),
          h("td", { text: a.finished_at ? duration(a.finished_at - a.started_at) : "" }), h("td", { class: "mono small", text: a.error || (a.response ? JSON.stringify(a.response) : "") })))))));
  }
  return h("li", { class: `tl-step t-${st.status}`, "data-step": st.step_id },
    h("div", { class: "tl-head" }, kind(st.step_type), h("strong", { class: "mono", text: st.step_id }), badge(st.status),
      h("span", { class: "muted small", text: `${time(st.started_at)}${st.finished_at ? ` → ${time(st.finished_at)}` : ""} · ${duration(st.duration_ms)}${st.attempts > 1 ? ` · ${st.attempts} attempts` : ""}` })),
    body);
}

async function pageRun(id) {
  const data = await workflows(false);
  const head = h("div", { class: "page-head" });
  const timeline = h("ol", { class: "timeline" });
  const fill = (run) => {
    const wf = data.workflows.find((w) => w.workflowId === run.workflow_id);
    const cancel = TERMINAL.has(run.status) ? null : h("button", { type: "button", class: "danger", onclick: async () => {
      await api(`api/runs/${encodeURIComponent(run.id)}/cancel`, {}); } }, "Cancel run");
    put(head, 
      h("h1", {}, "Run ", h("span", { class: "mono", text: shortId(run.id) }), " ", h("span", { id: "run-status" }, badge(run.status))),
      h("dl", { class: "facts" },
        h("dt", { text: "Workflow" }), h("dd", {}, h("a", { href: `#/workflows/${encodeURIComponent(run.workflow_id)}`, class: "mono", text: run.workflow_id })),
        h("dt", { text: "Subscriber" }), h("dd", {}, h("a", { href: `#/subscribers/${encodeURIComponent(run.subscriber_id)}`, class: "mono", text: run.subscriber_id })),
        h("dt", { text: "Transaction" }), h("dd", { class: "mono", text: run.transaction_id }),
        h("dt", { text: "Started" }), h("dd", { text: time(run.created_at) }),
        h("dt", { text: "Finished" }), h("dd", { text: run.finished_at ? `${time(run.finished_at)} (${duration(run.finished_at - run.created_at)})` : "—" }),
        run.next_at && !TERMINAL.has(run.status) ? [h("dt", { text: "Next step at" }), h("dd", { text: `${time(run.next_at)} (in ${duration(run.next_at - Date.now())})` })] : null,
        run.merged_into ? [h("dt", { text: "Merged into" }), h("dd", {}, h("a", { href: `#/runs/${encodeURIComponent(run.merged_into)}`, class: "mono", text: run.merged_into }))] : null,
        run.merged_runs.length ? [h("dt", { text: "Digested runs" }), h("dd", {}, run.merged_runs.map((m) => h("a", { href: `#/runs/${encodeURIComponent(m)}`, class: "mono tagline", text: shortId(m) })))] : null),
      run.error ? h("div", { class: "error", role: "alert", text: run.error }) : null,
      h("div", { class: "actions" }, cancel, details("Payload", json(run.payload)), details("Subscriber data", json(run.subscriber))));
    const seen = new Set(run.steps.map((s) => s.step_id));
    const notReached = wf ? wf.steps.filter((s) => !seen.has(s.stepId)) : [];
    put(timeline, ...run.steps.map((s) => stepBlock(s, wf)),
      ...notReached.map((s) => h("li", { class: "tl-step t-later" }, h("div", { class: "tl-head" }, kind(s.type), h("strong", { class: "mono", text: s.stepId }), h("span", { class: "muted small", text: TERMINAL.has(run.status) ? "not run" : "not reached yet" })))));
  };
  fill(await api(`api/runs/${encodeURIComponent(id)}`));
  render(head, h("h2", { text: "Timeline" }), timeline);
  live = new EventSource(`api/runs/${encodeURIComponent(id)}/events`);
  live.addEventListener("run", (e) => fill(JSON.parse(e.data)));
  live.addEventListener("end", () => closeLive());
}

// --- pages: subscribers ----------------------------------------------------------------------------

async function pageSubscribers() {
  const data = await api("api/subscribers");
  const form = h("form", { class: "filters", onsubmit: (e) => { e.preventDefault(); const v = form.querySelector("input").value.trim(); if (v) location.hash = `#/subscribers/${encodeURIComponent(v)}`; } },
    h("label", {}, "Subscriber id", h("input", { name: "id", placeholder: "open any subscriber" })), h("button", { type: "submit" }, "Open"));
  render(h("div", { class: "page-head" }, h("h1", { text: "Subscribers" }), h("p", { class: "muted", text: "Everyone with runs in the local store: their in-app inbox and every message delivered to them." })), form,
    h("ul", { class: "sub-list" }, data.subscribers.map((s) => h("li", {}, h("a", { href: `#/subscribers/${encodeURIComponent(s.subscriberId)}`, class: "mono", text: s.subscriberId }), h("span", { class: "muted small", text: ` ${s.runs} run(s)` })))),
    data.subscribers.length ? null : h("p", { class: "muted", text: "No runs yet: trigger a workflow first." }));
}

async function pageSubscriber(id, tab) {
  const data = await api(`api/subscribers/${encodeURIComponent(id)}`);
  const viewer = h("div", { class: "viewer", "aria-live": "polite" });
  const inbox = h("div", { class: "inbox" }, data.inbox.length ? data.inbox.map((m) => h("div", { class: `inbox-item ${m.read ? "read" : "unread"}` },
    inAppCard(m.content),
    h("div", { class: "states" }, h("span", { class: `state ${m.seen ? "on" : ""}`, text: m.seen ? "seen" : "unseen" }), h("span", { class: `state ${m.read ? "on" : ""}`, text: m.read ? "read" : "unread" }),
      h("span", { class: `state ${m.archived ? "on" : ""}`, text: m.archived ? "archived" : "not archived" }),
      h("button", { type: "button", class: "ghost small", onclick: async () => {
        await api(`api/messages/${encodeURIComponent(m.id)}`, { read: !m.read });
        await pageSubscriber(id, tab);
      } }, m.read ? "Mark unread" : "Mark read"),
      h("span", { class: "muted small" }, `${time(m.created_at)} · ${m.workflow_id} · `, h("a", { href: `#/runs/${encodeURIComponent(m.run_id)}`, text: "run" }))))) : h("p", { class: "muted", text: "No in-app messages." }));
  const outbox = h("table", { class: "runs outbox" }, h("thead", {}, h("tr", {}, ["Sent", "Channel", "To", "Subject / text", "Status", ""].map((t) => h("th", { text: t })))),
    h("tbody", {}, data.outbox.length ? data.outbox.map((m) => h("tr", {},
      h("td", { text: time(m.created_at) }), h("td", {}, kind(m.channel)), h("td", { class: "mono small", text: m.recipient || "—" }),
      h("td", { text: m.outputs.subject || m.outputs.body || "" }), h("td", {}, badge(m.status)),
      h("td", {}, h("button", { type: "button", class: "ghost small", onclick: () => {
        put(viewer, h("h4", {}, `${KIND_LABEL[m.channel] || m.channel} to `, h("code", { text: m.recipient || "—" })), previewOf(m.channel, m.outputs, null),
          h("p", { class: "muted small" }, `via ${m.provider} · ${m.workflow_id}/${m.step_id} · `, h("a", { href: `#/runs/${encodeURIComponent(m.run_id)}`, text: "run" })));
        viewer.scrollIntoView({ block: "nearest" });
      } }, "View")))) : h("tr", {}, h("td", { colspan: 6, class: "muted", text: "Nothing delivered yet." }))));
  const tabs = h("div", { class: "tabs", role: "tablist" },
    h("a", { role: "tab", href: `#/subscribers/${encodeURIComponent(id)}`, "aria-selected": tab !== "outbox" ? "true" : "false" }, `Inbox (${data.inbox.length})`),
    h("a", { role: "tab", href: `#/subscribers/${encodeURIComponent(id)}/outbox`, "aria-selected": tab === "outbox" ? "true" : "false" }, `Outbox (${data.outbox.length})`));
  render(h("div", { class: "page-head" }, h("h1", {}, "Subscriber ", h("span", { class: "mono", text: id })), h("p", {}, h("a", { href: `#/runs?subscriber=${encodeURIComponent(id)}`, text: "Their runs" }))),
    tabs, tab === "outbox" ? h("div", { class: "outbox-layout" }, outbox, viewer) : inbox);
}

// --- routing ---------------------------------------------------------------------------------------

async function route() {
  closeLive();
  const hash = location.hash || "#/workflows";
  const path = hash.replace(/^#/, "").split("?")[0];
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  const section = parts[0] || "workflows";
  document.querySelectorAll("[data-nav]").forEach((a) => a.classList.toggle("active", a.dataset.nav === (section === "trigger" ? "workflows" : section)));
  const main = document.getElementById("main");
  main.setAttribute("aria-busy", "true"); // the previous view stays until the next one is drawn
  try {
    if (section === "workflows" && parts.length === 1) await pageWorkflows();
    else if (section === "workflows") await pageWorkflow(parts[1], parts[2]);
    else if (section === "trigger") await pageTrigger(parts[1]);
    else if (section === "runs" && parts.length === 1) await pageRuns(queryOf(hash));
    else if (section === "runs") await pageRun(parts[1]);
    else if (section === "subscribers" && parts.length === 1) await pageSubscribers();
    else if (section === "subscribers") await pageSubscriber(parts[1], parts[2]);
    else render(errorBox(new Error(`Nothing at ${path}`)));
    document.title = `${document.querySelector("main h1") ? document.querySelector("main h1").textContent : "Studio"} · novu-framework Studio`;
  } catch (err) {
    render(errorBox(err));
  } finally {
    main.removeAttribute("aria-busy");
  }
}

window.addEventListener("hashchange", route);
window.addEventListener("DOMContentLoaded", route);
document.addEventListener("keydown", (e) => {
  if (e.target.closest("input, textarea, select") || e.ctrlKey || e.metaKey || e.altKey) return;
  const keys = { w: "#/workflows", r: "#/runs", s: "#/subscribers" };
  if (keys[e.key]) { location.hash = keys[e.key]; }
});
