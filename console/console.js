// The iamsession web console (issue #16): plain JavaScript, no framework, talking only to this origin's API.
// Every text from the API is put in the page as text (never as HTML). State-changing requests are same-origin
// fetches, so the browser sends Origin, which the API checks for cookie-authenticated requests (CSRF).
"use strict";

const main = document.getElementById("main");
const statusBox = document.getElementById("status");
let me = null; // GET /v1/session's answer
let model = null; // GET /console/model.json
let acknowledgedManaged = false;

// --- small helpers ------------------------------------------------------------------------------------------------

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === false || v === null || v === undefined) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "text") el.textContent = v;
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(c instanceof Node ? c : String(c));
  return el;
}

function announce(text) {
  statusBox.textContent = "";
  setTimeout(() => (statusBox.textContent = text), 50);
}

/** 3600 → "1 hour", 5400 → "1 hour 30 minutes", 90 → "1 minute 30 seconds". */
function duration(seconds) {
  const s = Number(seconds);
  const parts = [];
  const hrs = Math.floor(s / 3600), min = Math.floor((s % 3600) / 60), sec = s % 60;
  if (hrs) parts.push(`${hrs} hour${hrs === 1 ? "" : "s"}`);
  if (min) parts.push(`${min} minute${min === 1 ? "" : "s"}`);
  if (sec || parts.length === 0) parts.push(`${sec} second${sec === 1 ? "" : "s"}`);
  return parts.join(" ");
}

function amount(def, v) {
  if (v === "unlimited" || v === Infinity) return "Unlimited";
  if (def.kind === "choice") return words(def, v);
  return def.unit === "seconds" ? duration(v) : `${v} session${Number(v) === 1 ? "" : "s"}`;
}

function words(def, choice) {
  return { END_OLDEST: "End the oldest session", END_LEAST_RECENTLY_USED: "End the least recently used session",
    END_NEXT_EXPIRING: "End the session expiring next", DENY_NEW: "Refuse the new login" }[choice] || choice;
}

function when(iso) {
  if (!iso) return "—";
  const d = new Date(iso);
  return d.toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" }) + " UTC";
}

/** What a session's end reason means, in words. */
function reasonWords(code, limits, theirs) {
  const idle = limits && limits.idle ? duration(limits.idle) : null;
  const life = limits && limits.lifetime ? duration(limits.lifetime) : null;
  switch (code) {
    case "idle_timeout": return idle ? `signed out after ${idle} of inactivity` : "signed out after a period of inactivity";
    case "lifetime_expired": return life ? `signed out: the session reached its maximum time of ${life}` : "signed out: the session reached its maximum time";
    case "ended_by_admin": return "ended by an administrator";
    case "ended_by_self": return theirs ? "ended by its identity" : "ended from another of your sessions";
    case "evicted_by_limit": return theirs ? "ended by a newer login (the concurrent-session limit)" : "ended because you signed in elsewhere (the concurrent-session limit)";
    case "membership_removed": return "ended because you were removed from the account";
    case "credential_changed": return "ended because your password was changed";
    case "key_revoked": return "ended because the API key it was made with was revoked";
    case "logout": return "signed out";
    default: return "the session is no longer valid";
  }
}

const END_REASONS = new Set(["logout", "idle_timeout", "lifetime_expired", "ended_by_self", "ended_by_admin",
  "evicted_by_limit", "membership_removed", "credential_changed", "key_revoked"]);

class ApiFailure extends Error {
  constructor(status, body) {
    super((body && body.errors && body.errors[0] && body.errors[0].message) || `HTTP ${status}`);
    this.status = status;
    this.body = body;
    this.code = body && body.errors && body.errors[0] ? body.errors[0].code : undefined;
  }
}

/** One API call; a 401 of an ended session ends the console's view of it (back to sign-in with the reason). */
async function api(method, path, body, headers) {
  const init = { method, headers: { Accept: "application/json", ...(headers || {}) }, credentials: "same-origin" };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const res = await fetch(path, init);
  const text = await res.text();
  const data = text ? JSON.parse(text) : null;
  if (res.status === 401 && me && path !== "/v1/sessions" && path !== "/v1/session" || (res.status === 401 && me && method === "GET" && path === "/v1/session")) {
    signedOut(data && data.errors && data.errors[0] ? data.errors[0].code : undefined);
    throw new ApiFailure(res.status, data);
  }
  if (!res.ok) throw new ApiFailure(res.status, data);
  return { data, etag: res.headers.get("ETag") };
}

/**
 * Every entry of a paginated list (docs/api.md, "Pagination"), following next_cursor page by page: the sessions
 * tables and "End all other sessions" must count them all, not just the first page.
 */
async function listAll(path, field) {
  const out = [];
  let cursor = null;
  do {
    const { data } = await api("GET", `${path}?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    out.push(...data[field]);
    cursor = data.next_cursor;
  } while (cursor);
  return out;
}

function remembered() {
  try { return JSON.parse(sessionStorage.getItem("iamsession.limits") || "null"); } catch { return null; }
}

function signedOut(code) {
  const limits = remembered();
  me = null;
  sessionStorage.removeItem("iamsession.limits");
  showSignIn(code ? `Your session has ended: ${reasonWords(code, limits)}.` : undefined);
}

function setHeader() {
  const nav = document.getElementById("nav");
  const who = document.getElementById("who");
  nav.hidden = who.hidden = !me;
  if (!me) return;
  document.getElementById("who-text").textContent =
    `${me.identity_name || me.session.iam_id} · account ${me.session.account_id} · ${me.role}`;
  const view = location.hash.startsWith("#/sessions") ? "sessions" : "settings";
  for (const a of nav.querySelectorAll("a")) {
    if (a.dataset.view === view) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
}

function render(title, ...content) {
  main.replaceChildren(...content.filter((c) => c !== null && c !== undefined && c !== false));
  document.title = `${title} · iamsession console`;
  setHeader();
  const heading = main.querySelector("h1");
  if (heading) {
    heading.setAttribute("tabindex", "-1");
    heading.focus();
  }
}

// --- sign in ------------------------------------------------------------------------------------------------------

function showSignIn(message) {
  const last = JSON.parse(localStorage.getItem("iamsession.last") || "{}");
  const error = h("p", { class: "error", id: "sign-in-error", role: "alert" });
  const account = h("input", { type: "text", id: "account_id", name: "account_id", required: true, autocomplete: "organization", value: last.account_id || "", "aria-describedby": "account-hint" });
  const iam = h("input", { type: "text", id: "iam_id", name: "iam_id", required: true, autocomplete: "username", value: last.iam_id || "" });
  const password = h("input", { type: "password", id: "password", name: "password", required: true, autocomplete: "current-password" });
  const form = h("form", { novalidate: true, "aria-describedby": "sign-in-error" },
    h("label", { for: "iam_id" }, "Identity ID"), iam,
    h("label", { for: "password" }, "Password"), password,
    h("label", { for: "account_id" }, "Account"),
    h("p", { class: "hint", id: "account-hint" }, "The account to work in; you can sign in to any account you are a member of."),
    account,
    h("div", { class: "actions" }, h("button", { type: "submit" }, "Sign in")),
    error);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    error.textContent = "";
    for (const input of [iam, password, account]) input.removeAttribute("aria-invalid");
    const missing = [iam, password, account].filter((i) => !i.value);
    if (missing.length) {
      for (const i of missing) i.setAttribute("aria-invalid", "true");
      error.textContent = `Enter ${missing.map((i) => form.querySelector(`label[for=${i.id}]`).textContent.toLowerCase()).join(", ")}.`;
      missing[0].focus();
      return;
    }
    try {
      await api("POST", "/v1/sessions", { account_id: account.value.trim(), channel: "console", iam_id: iam.value.trim(), password: password.value });
      localStorage.setItem("iamsession.last", JSON.stringify({ account_id: account.value.trim(), iam_id: iam.value.trim() }));
      password.value = "";
      await start();
    } catch (err) {
      error.textContent = err.code === "invalid_credentials" || err.code === "not_found"
        ? "The identity, password or account is not right (or the identity is not a member of that account)."
        : err.message;
      password.value = "";
      password.setAttribute("aria-invalid", "true");
      password.focus();
    }
  });
  render("Sign in",
    h("div", { class: "card narrow" },
      h("h1", {}, "Sign in"),
      h("p", { class: "lead" }, "to the iamsession console"),
      message ? h("p", { class: "notice bad", role: "alert", id: "signed-out-reason" }, message) : null,
      form));
}

// --- settings -----------------------------------------------------------------------------------------------------

const TILES = [
  { title: "Active sessions", names: ["session_expiration_in_seconds"], intro: "How long a session may last at most, however active." },
  { title: "Sign out due to inactivity", names: ["session_invalidation_in_seconds"], intro: "How long a session may stay unused before it is signed out." },
  { title: "Concurrent sessions", names: ["max_sessions_per_identity", "max_sessions_exceeded_action"], intro: "How many sessions one identity may have at once, and what happens at the limit." },
];

const MANAGED_KEY = /terraform|tofu|opentofu|cdktf|pipeline|\bci\b|automation|gitops/i;

function defOf(name) { return model.settings.find((s) => s.name === name); }

function shown(def, v) {
  if (v === model.not_set) return `Service default (${amount(def, def.service_default)})`;
  return amount(def, v);
}

function rangeText(def) {
  if (def.kind === "choice") return `One of: ${def.choices.map((c) => words(def, c)).join("; ")}`;
  if (def.unit === "seconds") return `Valid range: ${duration(def.min)} to ${duration(def.max)}`;
  return `Valid range: ${def.min} to ${Number(def.max).toLocaleString("en")} sessions, or Unlimited`;
}

function sourceWords(p, accountId) {
  if (!p) return "";
  if (p.source === "default") return "the service default";
  if (p.source === "enterprise") return `enterprise ${p.source_id} (stricter than the account)`;
  if (p.source === "account" && p.source_id && p.source_id !== accountId) return `account ${p.source_id}`;
  return "this account";
}

/** What actually applies and why: the account's effective value and, for the signed-in identity, across its accounts. */
function appliesText(def, eff, mine, stored) {
  const accountId = me.session.account_id;
  const lines = [];
  if (eff && eff[def.name]) {
    const e = eff[def.name];
    lines.push(`Applies in this account: ${amount(def, e.value)}, from ${sourceWords(e, accountId)}.`);
    // The action is taken from the level whose limit applies: say so when that is why the stored one does not apply.
    const limit = def.decided_by && eff[def.decided_by];
    if (limit && stored !== model.not_set && stored !== e.value) {
      lines.push(`It follows the session limit that applies (${amount(defOf(def.decided_by), limit.value)}, from ${sourceWords(limit, accountId)})` +
        `${limit.value === "unlimited" ? "; with no limit, no login ever reaches it" : ""}.`);
    }
  }
  const m = mine && mine[def.name];
  if (m && (m.source !== (eff && eff[def.name] && eff[def.name].source) || (m.account_id && m.account_id !== accountId))) {
    const from = m.account_id && m.account_id !== accountId
      ? `the lowest across your ${mine.accounts ? mine.accounts.length : "several"} accounts (${m.account_id === null ? "another account" : `from ${m.account_id === "another account" ? "another account" : `account ${m.account_id}`}`})`
      : sourceWords(m, accountId);
    lines.push(`Applies to you: ${amount(def, m.value)}, ${from}.`);
  }
  return lines;
}

function editor(def, current, onDone, errors) {
  const id = def.name;
  const errFor = (n) => (errors || []).filter((e) => !e.target || !e.target.name || e.target.name === n || e.target.name === "body");
  const wrap = h("div", {});
  const errList = errFor(id);
  const errEl = errList.length ? h("p", { class: "error", id: `${id}-error`, role: "alert" }, errList.map((e) => e.message).join(" ")) : null;
  const describedBy = [`${id}-range`, errEl ? `${id}-error` : null].filter(Boolean).join(" ");
  if (def.kind === "choice") {
    const select = h("select", { id: `${id}-input`, name: id, "aria-describedby": describedBy, "aria-invalid": errEl ? "true" : false },
      h("option", { value: model.not_set, selected: current === model.not_set }, `Service default (${words(def, def.service_default)})`),
      def.choices.map((c) => h("option", { value: c, selected: current === c }, words(def, c))));
    wrap.append(h("label", { for: `${id}-input` }, def.title), select, h("p", { class: "hint", id: `${id}-range` }, def.choice_descriptions[current] || rangeText(def)), errEl || "");
    wrap.read = () => select.value;
    return wrap;
  }
  const isSet = current !== model.not_set;
  const notSetLabel = def.service_default === "unlimited" ? "Unlimited (service default)" : `Service default (${amount(def, def.service_default)})`;
  const setLabel = def.unit === "sessions" ? "Limit sessions" : "Set a time";
  const rNot = h("input", { type: "radio", name: `${id}-mode`, id: `${id}-notset`, value: "notset", checked: !isSet });
  const rSet = h("input", { type: "radio", name: `${id}-mode`, id: `${id}-set`, value: "set", checked: isSet });
  const fields = h("div", { class: "inline" });
  let read;
  if (def.unit === "seconds") {
    const secs = isSet ? Number(current) : Number(def.service_default);
    const hours = h("input", { type: "number", id: `${id}-hours`, min: 0, step: 1, inputmode: "numeric", value: Math.floor(secs / 3600), "aria-describedby": describedBy, "aria-invalid": errEl ? "true" : false });
    const minutes = h("input", { type: "number", id: `${id}-minutes`, min: 0, max: 59, step: 1, inputmode: "numeric", value: Math.floor((secs % 3600) / 60), "aria-describedby": describedBy, "aria-invalid": errEl ? "true" : false });
    fields.append(h("div", {}, h("label", { for: `${id}-hours` }, "Hours"), hours), h("div", {}, h("label", { for: `${id}-minutes` }, "Minutes"), minutes));
    // Hours and minutes as a person thinks, saved as seconds; a value that is not a whole number is sent as is, so
    // the API's message names it.
    read = () => {
      const hv = hours.value === "" ? 0 : Number(hours.value), mv = minutes.value === "" ? 0 : Number(minutes.value);
      // The API takes numbers as canonical decimal strings.
      return String(hv * 3600 + mv * 60);
    };
    for (const el of [hours, minutes]) el.addEventListener("input", () => { rSet.checked = true; });
  } else {
    const count = h("input", { type: "number", id: `${id}-count`, min: def.min, step: 1, inputmode: "numeric", value: isSet ? current : 3, "aria-describedby": describedBy, "aria-invalid": errEl ? "true" : false });
    fields.append(h("div", {}, h("label", { for: `${id}-count` }, "Sessions per identity"), count));
    read = () => count.value.trim();
    count.addEventListener("input", () => { rSet.checked = true; });
  }
  wrap.append(h("fieldset", {},
    h("legend", {}, def.title),
    h("label", { class: "choice", for: `${id}-notset` }, rNot, notSetLabel),
    h("label", { class: "choice", for: `${id}-set` }, rSet, setLabel),
    fields,
    h("p", { class: "hint", id: `${id}-range` }, rangeText(def)),
    errEl || ""));
  wrap.read = () => (rNot.checked ? model.not_set : read());
  return wrap;
}

async function loadSettings() {
  const accountId = me.session.account_id;
  const [settings, eff, mine] = await Promise.all([
    api("GET", `/v1/accounts/${encodeURIComponent(accountId)}/settings/identity?include_history=true`),
    api("GET", `/v1/accounts/${encodeURIComponent(accountId)}/effective_settings/identity`).catch(() => null),
    api("GET", `/v1/identities/${encodeURIComponent(me.session.iam_id)}/effective_settings/identity`).catch(() => null),
  ]);
  return { settings: settings.data, etag: settings.etag, eff: eff && eff.data, mine: mine && mine.data };
}

function changedBy(entry) {
  const by = entry.changed_by || {};
  // A change made with a session is recorded under the identity (key_id) with the key name "session <id>".
  if (by.key_name && by.key_name.startsWith("session ")) return `${by.key_id} (signed in)`;
  return by.key_name ? `${by.key_name}${by.key_id && by.key_id !== by.key_name ? ` (${by.key_id})` : ""}` : by.key_id || "someone";
}

async function showSettings(state) {
  let data;
  try {
    data = await loadSettings();
  } catch (err) {
    if (err.status !== 401) render("Settings", h("h1", {}, "Settings"), h("p", { class: "notice bad", role: "alert" }, err.message));
    return;
  }
  const s = data.settings;
  const history = s.history || [];
  const latest = history[history.length - 1];
  const managedBy = latest && MANAGED_KEY.test(latest.changed_by && latest.changed_by.key_name || "") ? latest.changed_by.key_name : null;
  const canEdit = me.role !== "viewer";
  const editing = state && state.editing;

  const notices = [];
  if (state && state.conflict) {
    notices.push(h("div", { class: "notice warn", role: "alert", id: "conflict" },
      h("p", { style: false }, state.conflict),
      h("button", { type: "button", class: "secondary", onclick: () => showSettings() }, "Reload")));
  }
  if (state && state.saved) notices.push(h("p", { class: "notice ok", role: "status" }, state.saved));
  if (managedBy) {
    notices.push(h("p", { class: "notice warn", id: "managed" },
      `These settings are managed as code: the latest change came from the key "${managedBy}". A change made here will show as drift in the next terraform plan.`));
  }
  if (!canEdit) notices.push(h("p", { class: "notice", id: "read-only" }, `You can view these settings. Changing them needs the editor role or above in this account; yours is ${me.role}.`));

  const tiles = TILES.map((tile, i) => {
    const defs = tile.names.map(defOf);
    const body = h("div", { class: "tile", id: `tile-${i}` });
    body.append(h("div", { class: "head" },
      h("h2", { id: `tile-${i}-title` }, tile.title),
      canEdit && editing !== i ? h("button", { type: "button", class: "secondary", id: `tile-${i}-edit`, "aria-label": `Edit ${tile.title}`, onclick: () => {
        if (managedBy && !acknowledgedManaged) showSettings({ confirm: i }); else showSettings({ editing: i });
      } }, "Edit") : null));
    body.append(h("p", { class: "meta" }, tile.intro));
    if (state && state.confirm === i) {
      body.append(h("div", { class: "notice warn", role: "alert", id: "managed-confirm", onkeydown: closeOnEscape(i) },
        h("p", {}, `Managed as code (latest change by "${managedBy}"): a manual edit will make the next terraform plan show drift, and applying the configuration will change it back.`),
        h("div", { class: "actions" },
          h("button", { type: "button", id: "managed-edit-anyway", onclick: () => { acknowledgedManaged = true; showSettings({ editing: i }); } }, "Edit anyway"),
          h("button", { type: "button", class: "secondary", onclick: () => showSettings({ returnTo: i }) }, "Cancel"))));
    }
    if (editing === i) {
      // After a refused save the form keeps what was typed (state.draft), with the API's messages next to it.
      const editors = defs.map((d) => editor(d, state.draft && state.draft[d.name] !== undefined ? state.draft[d.name] : s[d.name], null, state.errors));
      const form = h("form", { novalidate: true, "aria-labelledby": `tile-${i}-title`, onkeydown: closeOnEscape(i) }, ...editors,
        h("div", { class: "actions" }, h("button", { type: "submit" }, "Save"), h("button", { type: "button", class: "secondary", onclick: () => showSettings({ returnTo: i }) }, "Cancel")));
      form.addEventListener("submit", async (e) => {
        e.preventDefault();
        const change = {};
        defs.forEach((d, k) => { change[d.name] = editors[k].read(); });
        try {
          await api("PUT", `/v1/accounts/${encodeURIComponent(me.session.account_id)}/settings/identity`, change, { "If-Match": data.etag });
          announce(`${tile.title} saved.`);
          showSettings({ saved: `${tile.title} saved.`, returnTo: i });
        } catch (err) {
          if (err.status === 412) {
            const fresh = await loadSettings().catch(() => null);
            const h2 = fresh && fresh.settings.history ? fresh.settings.history[fresh.settings.history.length - 1] : null;
            showSettings({ editing: i, errors: [], draft: change, conflict: h2
              ? `Changed by ${changedBy(h2)} at ${when(h2.changed_at)} — reload to see the new values before you change them. Nothing was saved.`
              : "Changed by someone else meanwhile — reload. Nothing was saved." });
          } else if (err.status === 400) {
            showSettings({ editing: i, errors: err.body.errors, draft: change });
          } else if (err.status !== 401) {
            showSettings({ editing: i, errors: [{ message: err.message }], draft: change });
          }
        }
      });
      body.append(form);
    } else {
      for (const d of defs) {
        if (defs.length > 1) body.append(h("h3", {}, d.title));
        body.append(h("p", { class: "value", id: `${d.name}-value` }, shown(d, s[d.name])));
        body.append(h("p", { class: "meta" }, rangeText(d)));
        const lines = appliesText(d, data.eff, data.mine, s[d.name]);
        if (lines.length) body.append(h("div", { class: "applies", id: `${d.name}-applies` }, lines.map((l) => h("div", {}, l))));
      }
    }
    return body;
  });

  const rows = history.slice().reverse().map((entry) => {
    const changes = [];
    for (const d of model.settings) {
      const o = entry.old ? entry.old[d.name] : undefined, n = entry.new ? entry.new[d.name] : undefined;
      if (o !== undefined && n !== undefined && o !== n) changes.push(h("div", {}, `${d.title}: ${shown(d, o)} → ${shown(d, n)}`));
    }
    return h("tr", {}, h("td", { class: "num" }, when(entry.changed_at)), h("td", {}, changedBy(entry)), h("td", {}, changes.length ? changes : entry.action || "—"));
  });

  const enterprise = data.eff && data.eff.enterprise_id;
  render("Settings",
    h("h1", {}, "Login session settings"),
    h("p", { class: "lead" }, `Account ${me.session.account_id}${enterprise ? `, in enterprise ${enterprise}: where the enterprise's value is stricter, it applies` : ""}.`),
    ...notices,
    h("section", { class: "tiles", "aria-label": "Login session" }, ...tiles),
    h("section", { class: "card", "aria-labelledby": "history-title" },
      h("h2", { id: "history-title" }, "History"),
      rows.length ? h("table", { id: "history" }, h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "When"), h("th", { scope: "col" }, "Who"), h("th", { scope: "col" }, "Change"))), h("tbody", {}, rows))
        : h("p", {}, "No changes yet.")));
  // Keyboard users keep their place: an opened form starts at its first refused (or chosen) field, a concurrent
  // change at its Reload, the managed-as-code question at "Edit anyway", a closed form at its tile's Edit button.
  const form = editing !== undefined ? main.querySelector(`#tile-${editing} form`) : null;
  const target = state && state.conflict ? main.querySelector("#conflict button")
    : form ? form.querySelector("[aria-invalid=true]") || form.querySelector("input:checked, select")
    : state && state.confirm !== undefined ? main.querySelector("#managed-edit-anyway")
    : state && state.returnTo !== undefined ? main.querySelector(`#tile-${state.returnTo}-edit`)
    : null;
  if (target) target.focus();
}

/** Escape closes a tile's form or question without saving, as Cancel does. */
function closeOnEscape(i) {
  return (e) => {
    if (e.key !== "Escape") return;
    e.preventDefault();
    showSettings({ returnTo: i });
  };
}

// --- sessions -----------------------------------------------------------------------------------------------------

/** "Chrome 126 on Linux" from a user agent (the full string is long and says little more to a person). */
function browserOf(ua) {
  const b = /(Edg|OPR|Firefox|HeadlessChrome|Chrome|Version)\/(\d+)/.exec(ua);
  const os = /(Windows|Android|iPhone|iPad|Mac OS X|Linux|CrOS)/.exec(ua);
  const name = b ? ({ Edg: "Edge", OPR: "Opera", Version: "Safari" }[b[1]] || b[1]) : null;
  if (!name) return ua.length > 60 ? `${ua.slice(0, 60)}…` : ua;
  return `${name} ${b[2]}${os ? ` on ${os[1] === "Mac OS X" ? "macOS" : os[1]}` : ""}`;
}

/** This session first, then the other active ones, then the ended ones (each group in the API's order). */
function byState(list) {
  const rank = (s) => (s.current ? 0 : s.state === "active" ? 1 : 2);
  return list.map((s, i) => [s, i]).sort(([a, i], [b, j]) => rank(a) - rank(b) || i - j).map(([s]) => s);
}

function sessionTable(list, id, endOne, showWho) {
  if (!list.length) return h("p", {}, "No sessions.");
  list = byState(list);
  return h("table", { id },
    h("thead", {}, h("tr", {}, showWho ? h("th", { scope: "col" }, "Identity") : null, ...["Channel", "Started", "Last used", "Client", "State"].map((t) => h("th", { scope: "col" }, t)), h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, "Actions")))),
    h("tbody", {}, list.map((s) => h("tr", { "data-session": s.session_id },
      showWho ? h("td", {}, s.iam_id) : null,
      h("td", {}, s.channel === "console" ? "Console" : "CLI"),
      h("td", { class: "num" }, when(s.created_at)),
      h("td", { class: "num" }, when(s.last_access_at)),
      h("td", {}, s.client_address || "—", s.user_agent ? h("div", { class: "ua" }, browserOf(s.user_agent)) : null),
      h("td", {}, s.state === "active"
        ? [h("span", { class: "badge active" }, s.current ? "This session" : "Active"), s.expires_at ? h("div", { class: "ua" }, `ends ${when(s.idle_expires_at < s.expires_at ? s.idle_expires_at : s.expires_at)} if unused`) : null]
        : [h("span", { class: "badge ended" }, "Ended"), h("div", {}, reasonWords(s.end_reason, null, showWho && s.iam_id !== me.session.iam_id)), h("div", { class: "ua" }, when(s.ended_at))]),
      h("td", {}, s.state === "active" && !s.current
        ? h("button", { type: "button", class: "danger", "aria-label": `End ${s.channel} session started ${when(s.created_at)}${showWho ? ` of ${s.iam_id}` : ""}`, onclick: () => endOne(s) }, "End")
        : null)))));
}

async function showSessions(message) {
  const mine = `/v1/identities/${encodeURIComponent(me.session.iam_id)}/sessions`;
  const admin = me.role === "administrator" || me.role === "owner";
  const accountPath = `/v1/accounts/${encodeURIComponent(me.session.account_id)}/sessions`;
  let own, all;
  try {
    own = await listAll(mine, "sessions");
    all = admin ? await listAll(accountPath, "sessions") : null;
  } catch (err) {
    if (err.status !== 401) render("My sessions", h("h1", {}, "My sessions"), h("p", { class: "notice bad", role: "alert" }, err.message));
    return;
  }
  const act = (fn, done) => async () => {
    try { await fn(); announce(done); showSessions(done); } catch (err) { if (err.status !== 401) showSessions(err.message); }
  };
  const others = own.filter((s) => s.state === "active" && !s.current).length;
  render("My sessions",
    h("h1", {}, "My sessions"),
    h("p", { class: "lead" }, "Your active sessions and those ended in the last 7 days."),
    message ? h("p", { class: "notice ok", role: "status" }, message) : null,
    h("section", { class: "card", "aria-labelledby": "mine-title" },
      h("h2", { id: "mine-title" }, "Your sessions"),
      sessionTable(own, "my-sessions", (s) => act(() => api("DELETE", `${mine}/${encodeURIComponent(s.session_id)}`), "The session was ended.")(), false),
      h("div", { class: "actions" },
        h("button", { type: "button", class: "danger", disabled: others === 0, onclick: act(() => api("DELETE", mine), "Your other sessions were ended.") }, "End all other sessions"))),
    all ? h("section", { class: "card", "aria-labelledby": "account-title" },
      h("h2", { id: "account-title" }, `Sessions in account ${me.session.account_id}`),
      h("p", { class: "hint" }, "As an administrator of this account you can end any member's session."),
      sessionTable(all, "account-sessions", (s) => act(() => api("DELETE", `${accountPath}/${encodeURIComponent(s.session_id)}`), "The session was ended.")(), true)) : null);
}

// --- start --------------------------------------------------------------------------------------------------------

async function route() {
  if (!me) return;
  if (location.hash.startsWith("#/sessions")) await showSessions();
  else await showSettings();
}

async function start() {
  try {
    if (!model) model = (await api("GET", "/console/model.json")).data;
    me = (await api("GET", "/v1/session")).data;
    sessionStorage.setItem("iamsession.limits", JSON.stringify({
      idle: me.limits.session_invalidation_in_seconds && Number(me.limits.session_invalidation_in_seconds.value),
      lifetime: me.limits.session_expiration_in_seconds && Number(me.limits.session_expiration_in_seconds.value),
    }));
  } catch (err) {
    me = null;
    // The cookie named an ended session: say why (a missing or unknown cookie just asks to sign in).
    if (err.status === 401 && END_REASONS.has(err.code)) { signedOut(err.code); return; }
    showSignIn();
    return;
  }
  await route();
}

document.getElementById("sign-out").addEventListener("click", async () => {
  try { await api("DELETE", "/v1/session"); } catch { /* already ended: the cookie is cleared either way */ }
  me = null;
  sessionStorage.removeItem("iamsession.limits");
  showSignIn("You have signed out.");
});
window.addEventListener("hashchange", () => route());
// A session ended elsewhere (timed out, by an administrator) shows at the next request; check when the tab is shown.
document.addEventListener("visibilitychange", () => { if (!document.hidden && me) api("GET", "/v1/session").catch(() => {}); });
setInterval(() => { if (me) api("GET", "/v1/session").then((r) => { me = r.data; }).catch(() => {}); }, 60000);
start();
