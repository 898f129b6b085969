// p4p Studio > Users: reads the mock's admin API (/admin/v1/, docs/STUDIO.md)
// with the session cookie. Every piece of data is put in the page with
// textContent or DOM nodes, never parsed as HTML: profiles come from
// integrators. The token goes once to POST /admin/v1/session and is not kept.
"use strict";

const $ = (id) => document.getElementById(id);
const views = ["login", "users", "user", "dead"];

// el makes an element with text or children; attrs are set as properties.
function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  Object.assign(e, attrs || {});
  for (const k of kids) {
    if (k != null) e.append(k instanceof Node ? k : String(k));
  }
  return e;
}

function show(view) {
  for (const v of views) $(v).hidden = v !== view;
  $("nav").hidden = view === "login";
  $("nav-users").classList.toggle("on", view === "users" || view === "user");
  $("nav-dead").classList.toggle("on", view === "dead");
}

function message(text) {
  $("msg").textContent = text || "";
  $("msg").hidden = !text;
}

// api calls the admin API on this origin; the browser sends the cookie
// and, on a POST, the Origin header the API checks.
async function api(method, path, body) {
  const resp = await fetch(path, { method, body, credentials: "same-origin", cache: "no-store" });
  let env = {};
  try { env = await resp.json(); } catch (e) { /* not JSON */ }
  if (resp.status === 403 && path !== "/admin/v1/session") {
    stopLive();
    show("login");
  }
  if (!resp.ok) throw new Error(env.msg || resp.status + " " + resp.statusText);
  return env.data;
}

// Ages: every element with data-time shows how long ago that was.
function age(iso) {
  if (!iso) return "";
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  if (s < 60) return s + " s ago";
  if (s < 3600) return Math.floor(s / 60) + " min " + (s % 60) + " s ago";
  if (s < 86400) return Math.floor(s / 3600) + " h " + Math.floor((s % 3600) / 60) + " min ago";
  return Math.floor(s / 86400) + " d ago";
}
function timeEl(iso) {
  if (!iso) return el("span", { className: "muted", textContent: "never" });
  const t = el("time", { dateTime: iso, title: iso, textContent: age(iso) });
  t.dataset.time = iso;
  return t;
}
setInterval(() => {
  for (const t of document.querySelectorAll("[data-time]")) t.textContent = age(t.dataset.time);
}, 1000);

function badge(text, cls) { return el("span", { className: "badge " + (cls || text), textContent: text }); }
function userLink(id) {
  return el("a", { href: "#/user/" + encodeURIComponent(id), textContent: id });
}
function dl(target, pairs) {
  target.replaceChildren();
  for (const [k, v] of pairs) {
    if (v == null || v === "") continue;
    target.append(el("dt", { textContent: k }), el("dd", {}, v));
  }
}

// --- session ---
async function checkSession() {
  try {
    const s = await api("GET", "/admin/v1/session");
    $("whoami").textContent = "signed in as " + s.user_id;
    return true;
  } catch (e) {
    return false;
  }
}
$("login-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const body = new URLSearchParams({ token: $("token").value });
  $("token").value = "";
  try {
    const s = await api("POST", "/admin/v1/session", body);
    $("whoami").textContent = "signed in as " + s.user_id;
    message("");
    route();
  } catch (e) {
    message("Log in failed: " + e.message);
  }
});
$("logout").addEventListener("click", async () => {
  stopLive();
  try { await api("DELETE", "/admin/v1/session"); } catch (e) { /* logged out anyway */ }
  show("login");
});

// --- users ---
const users = { cursors: [""] };
async function loadUsers(cursor) {
  const p = new URLSearchParams({ limit: "50" });
  if ($("q").value) p.set("q", $("q").value);
  if ($("outcome").value) p.set("outcome", $("outcome").value);
  if (cursor) p.set("cursor", cursor);
  const list = await api("GET", "/admin/v1/users?" + p);
  const rows = list.users.map((u) => el("tr", {},
    el("td", {}, userLink(u.id)), el("td", { textContent: u.display_name || "" }),
    el("td", { textContent: u.email || "" }),
    el("td", {}, badge(u.outcome || "none"), u.dead_lettered ? badge("dead") : null),
    el("td", {}, timeEl(u.updated_at))));
  if (rows.length === 0) rows.push(el("tr", {}, el("td", { colSpan: 5, className: "muted", textContent: "No users match." })));
  $("users-rows").replaceChildren(...rows);
  $("users-count").textContent = list.indexed + " users indexed" + (list.loading ? " (still loading)" : "");
  users.next = list.next_cursor || "";
  $("users-next").disabled = !users.next;
  $("users-first").disabled = !cursor;
}
$("users-form").addEventListener("submit", (ev) => { ev.preventDefault(); loadUsers("").catch((e) => message(e.message)); });
$("outcome").addEventListener("change", () => loadUsers("").catch((e) => message(e.message)));
$("users-next").addEventListener("click", () => loadUsers(users.next).catch((e) => message(e.message)));
$("users-first").addEventListener("click", () => loadUsers("").catch((e) => message(e.message)));

// --- a user ---
const cur = { id: "", shown: new Set(), older: "", live: null, timer: 0 };

function profileName(p) { return (p && (p.display_name || p.displayName)) || ""; }

function renderCompare(d, app) {
  const rp = d.remote_profile;
  const stored = rp && rp.profile ? rp.profile : null;
  const studioName = profileName(stored);
  const appName = app.author ? app.author.displayName : "";
  $("studio-view").replaceChildren(stored
    ? el("div", {}, el("div", { className: "name", textContent: studioName || "(no display name)" }),
      el("div", {}, "stored ", timeEl(rp.sync && rp.sync.last_update_at)),
      stored.email ? el("div", { className: "muted", textContent: stored.email }) : null)
    : el("p", { className: "muted", textContent: "No profile stored yet." }));
  const differs = stored && app.author && studioName !== appName;
  $("app-view").replaceChildren(app.author
    ? el("div", { className: differs ? "differs" : "" },
      el("div", { className: "name", textContent: appName || "(shown by handle)" }),
      el("div", {}, "profile stored ", timeEl(app.shown_updated_at)),
      el("div", { className: "muted" }, "bootstrap of collection " + app.collection_id + " refreshed ",
        timeEl(app.refreshed_at)),
      el("div", { className: "muted" }, "next refresh at " + new Date(app.next_refresh_at).toLocaleTimeString()),
      differs ? el("div", { textContent: "The app still shows the older profile until the next refresh." }) : null)
    : el("p", { className: "muted", textContent: "No comment by this user in the bootstrap yet (refreshed " +
      age(app.refreshed_at) + ")." }));
}

function renderSync(d) {
  const rp = d.remote_profile;
  $("profile").textContent = rp && rp.profile ? JSON.stringify(rp.profile, null, 2) : "(none)";
  const s = (rp && rp.sync) || {};
  dl($("sync"), [
    ["outcome", s.outcome ? badge(s.outcome) : null], ["queued", d.queued ? "yes" : "no"],
    ["last ping", s.last_ping_at ? timeEl(s.last_ping_at) : null],
    ["last pull", s.last_pull_at ? timeEl(s.last_pull_at) : null],
    ["last update", s.last_update_at ? timeEl(s.last_update_at) : null],
    ...Object.entries(s).filter(([k]) => !["outcome", "last_ping_at", "last_pull_at", "last_update_at"].includes(k))
      .map(([k, v]) => [k.replace(/_/g, " "), typeof v === "object" ? JSON.stringify(v) : String(v)]),
  ]);
  const dead = d.dead_letters || [];
  $("user-dead").replaceChildren(...dead.map(deadItem));
  if (dead.length === 0) $("user-dead").append(el("li", { className: "muted", textContent: "None." }));
}

function deadItem(x) {
  const b = el("button", { type: "button", textContent: "Replay" });
  b.dataset.dead = x.id;
  b.addEventListener("click", () => replay("/admin/v1/dead/" + x.id + "/replay", b));
  return el("li", {}, "#" + x.id + " pull " + x.pull_id + ": " + x.reason + " (", timeEl(x.dead_at), ") ", b);
}

function recordClass(r) {
  if (r.type === "pull.failed") return r.final ? "dead" : "failed";
  if (r.type === "pull.succeeded" || r.type === "profile.updated" || r.type === "app.visible") return "ok";
  return "pending";
}

function recordItem(r) {
  const body = el("div", { className: "rec-body" });
  const facts = el("dl");
  dl(facts, [
    ["time", r.time], ["pull", r.pull_id], ["attempt", r.attempt], ["status", r.status || null],
    ["duration", r.duration_ms ? r.duration_ms.toFixed(1) + " ms" : null], ["error", r.error],
    ["wait before retry", r.retry_in_ms ? (r.retry_in_ms / 1000).toFixed(3) + " s" : null],
    ["final", r.final ? "yes, no retry follows" : null], ["dead letter", r.dead_letter ? "#" + r.dead_letter : null],
    ["coalesced", r.coalesced ? "joined a pending pull" : null],
    ["ping to here", r.latency_ms ? r.latency_ms.toFixed(1) + " ms" : null],
    ["collection", r.collection_id],
  ]);
  body.append(facts);
  if (r.request) body.append(el("h4", { textContent: "Request (token redacted)" }), el("pre", { className: "req", textContent: "GET " + r.request }));
  if (r.response_headers) {
    body.append(el("h4", { textContent: "Response headers" }),
      el("pre", { textContent: Object.entries(r.response_headers).map(([k, v]) => k + ": " + v).join("\n") }));
  }
  if (r.response_body) {
    body.append(el("h4", { textContent: "Response body" + (r.response_body_truncated ? " (cut)" : "") }),
      el("pre", { className: "resp-body", textContent: r.response_body + (r.response_body_truncated ? "\n[…]" : "") }));
  }
  if (r.problems && r.problems.length) {
    body.append(el("h4", { textContent: "Validation problems" }), el("ul", { className: "problems" }, ...r.problems.map((p) => el("li", { textContent: p }))));
  }
  const sum = el("summary", {}, el("span", { className: "rec-type", textContent: r.type }),
    r.status ? badge(String(r.status), recordClass(r)) : badge(recordClass(r) === "ok" ? "ok" : r.final ? "gave up" : r.type.split(".")[0], recordClass(r)),
    r.attempt ? el("span", { textContent: "attempt " + r.attempt }) : null,
    el("span", { className: "muted", textContent: new Date(r.time).toLocaleString() }), timeEl(r.time));
  const li = el("li", {}, el("details", {}, sum, body));
  li.dataset.record = r.id;
  li.dataset.type = r.type;
  return li;
}

// addRecords adds the records not yet shown, newest first; fresh ones (live)
// go on top.
function addRecords(recs, atTop) {
  const items = recs.filter((r) => !cur.shown.has(r.id)).map((r) => { cur.shown.add(r.id); return recordItem(r); });
  if (atTop) {
    for (const li of items) li.classList.add("new");
    $("timeline").prepend(...items);
  } else {
    $("timeline").append(...items);
  }
}

async function loadUser(id) {
  const path = "/admin/v1/users/" + encodeURIComponent(id);
  const [d, app] = await Promise.all([api("GET", path + "?limit=50"), api("GET", path + "/app")]);
  if (cur.id !== id) return;
  renderCompare(d, app);
  renderSync(d);
  const fresh = cur.shown.size > 0;
  if (!fresh) {
    cur.older = d.timeline.next_cursor || "";
    $("timeline-more").hidden = !cur.older;
  }
  addRecords(d.timeline.records, fresh);
}

function openUser(id) {
  stopLive();
  cur.id = id;
  cur.shown = new Set();
  $("user-title").textContent = id;
  $("timeline").replaceChildren();
  $("user-live").textContent = "connecting to /events…";
  show("user");
  loadUser(id).catch((e) => message(e.message));
  // Live: a ping made elsewhere shows up without reloading. The events
  // carry no request or response, so each one reloads the newest records.
  const es = new EventSource("/events?user_id=" + encodeURIComponent(id));
  es.onopen = () => { $("user-live").textContent = "live: following this user's events"; };
  es.onerror = () => { $("user-live").textContent = "live: reconnecting…"; };
  const onEvent = () => {
    clearTimeout(cur.timer);
    // Twice: the timeline record is written just after the event.
    cur.timer = setTimeout(() => {
      loadUser(id).catch((e) => message(e.message));
      cur.timer = setTimeout(() => loadUser(id).catch((e) => message(e.message)), 700);
    }, 150);
  };
  for (const t of ["ping.accepted", "pull.started", "pull.failed", "pull.succeeded", "profile.updated", "pull.replayed", "app.visible"]) {
    es.addEventListener(t, onEvent);
  }
  es.onmessage = onEvent;
  cur.live = es;
}

function stopLive() {
  if (cur.live) cur.live.close();
  cur.live = null;
  clearTimeout(cur.timer);
}

$("timeline-more").addEventListener("click", async () => {
  try {
    const t = await api("GET", "/admin/v1/users/" + encodeURIComponent(cur.id) + "/timeline?limit=50&cursor=" + encodeURIComponent(cur.older));
    addRecords(t.records, false);
    cur.older = t.next_cursor || "";
    $("timeline-more").hidden = !cur.older;
  } catch (e) { message(e.message); }
});

// --- dead letters ---
const dead = {};
async function loadDead(cursor) {
  const p = new URLSearchParams({ limit: "50" });
  if ($("dead-q").value) p.set("q", $("dead-q").value);
  if (cursor) p.set("cursor", cursor);
  const list = await api("GET", "/admin/v1/dead?" + p);
  const rows = list.dead_letters.map((x) => {
    const b = el("button", { type: "button", textContent: "Replay" });
    b.dataset.dead = x.id;
    b.addEventListener("click", () => replay("/admin/v1/dead/" + x.id + "/replay", b));
    return el("tr", {}, el("td", { textContent: "#" + x.id }), el("td", {}, userLink(x.user_id)),
      el("td", { textContent: x.reason }), el("td", {}, timeEl(x.pinged_at)), el("td", {}, timeEl(x.dead_at)), el("td", {}, b));
  });
  if (rows.length === 0) rows.push(el("tr", {}, el("td", { colSpan: 6, className: "muted", textContent: "No dead letters match." })));
  $("dead-rows").replaceChildren(...rows);
  dead.next = list.next_cursor || "";
  $("dead-next").disabled = !dead.next;
  $("dead-first").disabled = !cursor;
}

// replay posts a replay and says what it queued.
async function replay(path, button) {
  if (button) button.disabled = true;
  try {
    const res = await api("POST", path);
    const ok = res.replayed.filter((r) => !r.error);
    const text = "Replayed " + ok.length + (res.replayed.length > ok.length ? ", " + (res.replayed.length - ok.length) + " refused" : "") +
      (res.more ? "; more match: replay again" : "") + ".";
    if (!$("dead").hidden) $("dead-result").textContent = text;
    if (button) button.replaceWith(el("span", { className: "badge ok", textContent: ok.length ? "replayed as pull " + ok[0].pull_id : "refused" }));
    if (!$("dead").hidden) await loadDead("");
  } catch (e) {
    message("Replay failed: " + e.message);
    if (button) button.disabled = false;
  }
}
$("dead-form").addEventListener("submit", (ev) => { ev.preventDefault(); loadDead("").catch((e) => message(e.message)); });
$("dead-replay-all").addEventListener("click", () => {
  const q = $("dead-q").value;
  replay("/admin/v1/dead/replay" + (q ? "?q=" + encodeURIComponent(q) : ""), null);
});
$("dead-next").addEventListener("click", () => loadDead(dead.next).catch((e) => message(e.message)));
$("dead-first").addEventListener("click", () => loadDead("").catch((e) => message(e.message)));

// --- routing: #/users, #/user/{id}, #/dead ---
async function route() {
  message("");
  if (!(await checkSession())) {
    stopLive();
    show("login");
    return;
  }
  const h = location.hash;
  if (h.startsWith("#/user/")) {
    openUser(decodeURIComponent(h.slice(7)));
    return;
  }
  stopLive();
  if (h === "#/dead") {
    show("dead");
    $("dead-result").textContent = "";
    loadDead("").catch((e) => message(e.message));
    return;
  }
  show("users");
  loadUsers("").catch((e) => message(e.message));
}
window.addEventListener("hashchange", route);
route();
