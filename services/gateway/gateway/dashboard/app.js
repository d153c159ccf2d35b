// The dashboard's start-up, hash routing, header controls and token prompt.
// Routes: #/ (national; ?show=institutions), #/region/<code>, #/institution/<id>,
// #/cluster/<id>, #/alerts (?kind=), and the employer's workspace: #/employer,
// #/employer/assess/<graduate>, #/employer/table, #/employer/requirements (each ?period=), and
// #/unsubscribe?token= (a reminder e-mail's link; needs no sign-in and loads no figures).
// The ministry's workspace: #/workspace/ministry (?period=), …/methodology, …/integrity, …/audit.
// The institution's workspace: #/workspace/institution, …/import, …/confirmations, …/review.

import {
  ApiError,
  canRead,
  get,
  latestPublication,
  loadConfig,
  loadNames,
  mayReadLive,
  session,
  setToken,
  tokenRole,
} from "./api.js";
import { h, intervalLevel, message } from "./components.js";
import { LANGUAGES, applyTranslations, formatDateTime, language, setLanguage, t } from "./i18n.js";
import { alertsView } from "./alerts.js";
import { clusterView } from "./cluster.js";
import { activitiesView } from "./coord_activities.js";
import { goalsView } from "./coord_goals.js";
import { coordinatorView, membersView, showCoordinatorNav } from "./coord_workspace.js";
import { employerView } from "./employer.js";
import { assessView } from "./employer_assess.js";
import { requirementsView } from "./employer_requirements.js";
import { tableView } from "./employer_table.js";
import { institutionView } from "./institution.js";
import { confirmationsView } from "./inst_confirmations.js";
import { importView } from "./inst_import.js";
import { reviewView } from "./inst_review.js";
import { instWorkspaceView } from "./inst_workspace.js";
import { auditView } from "./min_audit.js";
import { integrityView } from "./min_integrity.js";
import { publicationsView } from "./min_publications.js";
import { methodologyView } from "./min_workspace.js";
import { overviewView, regionView } from "./overview.js";
import { finishSignIn, msUntilExpiry, signOutAtProvider, startSignIn } from "./sign_in.js";
import { unsubscribeView } from "./unsubscribe.js";

// Alerts are never public (docs/access.md): that page always needs a token.
const ROUTES = [
  [/^\/?$/, "overview", overviewView, false],
  [/^\/region\/([^/]+)$/, "region", regionView, false],
  [/^\/institution\/([^/]+)$/, "institution", institutionView, false],
  [/^\/cluster\/([^/]+)$/, "cluster", clusterView, false],
  // The cluster coordinator's workspace (coord_workspace.js).
  [/^\/workspace\/cluster$/, "coord-clusters", coordinatorView, true],
  [/^\/workspace\/cluster\/([^/]+)$/, "coord-members", membersView, true],
  [/^\/workspace\/cluster\/([^/]+)\/activities$/, "coord-activities", activitiesView, true],
  [/^\/workspace\/cluster\/([^/]+)\/goals$/, "coord-goals", goalsView, true],
  [/^\/alerts$/, "alerts", alertsView, true],
  [/^\/employer$/, "employer", employerView, true],
  [/^\/employer\/assess\/([^/]+)$/, "employer-assess", assessView, true],
  [/^\/employer\/table$/, "employer-table", tableView, true],
  [/^\/employer\/requirements$/, "employer-requirements", requirementsView, true],
  // The ministry's workspace (min_workspace.js).
  [/^\/workspace\/ministry$/, "ministry", publicationsView, true],
  [/^\/workspace\/ministry\/methodology$/, "ministry-methodology", methodologyView, true],
  [/^\/workspace\/ministry\/integrity$/, "ministry-integrity", integrityView, true],
  [/^\/workspace\/ministry\/audit$/, "ministry-audit", auditView, true],
  // The institution's workspace (inst_workspace.js).
  [/^\/workspace\/institution$/, "inst-ws", instWorkspaceView, true],
  [/^\/workspace\/institution\/import$/, "inst-ws-import", importView, true],
  [/^\/workspace\/institution\/confirmations$/, "inst-ws-confirmations", confirmationsView, true],
  [/^\/workspace\/institution\/review$/, "inst-ws-review", reviewView, true],
  [/^\/unsubscribe$/, "unsubscribe", unsubscribeView, false],
];

const ctx = {
  period: null,
  pooled: false,
  periods: [],
  methodology: null,
  navigate: (hash) => {
    window.location.hash = hash;
  },
  refresh: () => render(), // after a change (the view has dropped the cached reads it changed)
  flash: null, // a message a change leaves for the next render
};
let renders = 0;
let expiry = null; // the timer that ends the session when its token expires
// Why the last session ended ("expired" or "rejected"): the prompt says so, whatever the person
// does next, until someone signs in again.
let sessionEnd = null;

const $ = (id) => document.getElementById(id);

function parseRoute() {
  const raw = decodeURIComponent(window.location.hash.replace(/^#/, "")) || "/";
  const [path, query = ""] = raw.split("?");
  const params = Object.fromEntries(new URLSearchParams(query));
  for (const [pattern, name, view, needsToken] of ROUTES) {
    const match = path.match(pattern);
    if (match) return { name, view, needsToken, params: { ...params, id: match[1] } };
  }
  return { name: "not-found", view: null, needsToken: false, params };
}

// For readers of the DOM (the end-to-end tests): what is shown, and whether it is complete.
function setState(state, viewName) {
  document.body.dataset.state = state;
  if (viewName) document.body.dataset.view = viewName;
  document.body.dataset.route = window.location.hash || "#/";
}

/** Years with national scorecards, for the period selector (the latest is the default). */
async function loadPeriods() {
  const cards = await get(`/quality/national/UZ/history?pooled=${ctx.pooled}`);
  ctx.periods = cards.map((card) => card.period).sort((a, b) => b - a);
  if (!ctx.periods.includes(ctx.period)) ctx.period = ctx.periods[0] ?? new Date().getFullYear();
  const select = $("period");
  const years = ctx.periods.length ? ctx.periods : [ctx.period];
  select.replaceChildren(...years.map((year) => h("option", { value: year, selected: year === ctx.period }, year)));
}

async function loadMethodology() {
  ctx.methodology = await get("/quality/methodology");
  $("methodology-note").textContent = t("scorecard.methodology", {
    version: ctx.methodology.version,
    level: intervalLevel(ctx.methodology),
  });
}

/** Which figures the page shows: the publication they come from, or live (the ministry). */
async function showPublication() {
  const note = $("publication-note");
  const live = session.view === "live" && mayReadLive();
  note.classList.toggle("live", live);
  if (live) {
    note.textContent = t("publication.live");
    return;
  }
  const publication = await latestPublication(ctx.period);
  note.dataset.publication = publication ? publication.number : "";
  note.textContent = publication
    ? t(`publication.${publication.release}`, {
        number: publication.number,
        date: formatDateTime(publication.published_at),
      })
    : t("publication.none");
}

function showAccess() {
  const needToken = !canRead();
  $("token-panel").hidden = !needToken;
  $("sign-out").hidden = !session.token;
  $("sign-in").hidden = Boolean(session.token) || !session.publicScores;
  $("provider-sign-in").hidden = !session.signIn;
  $("live-control").hidden = !mayReadLive();
  $("live").checked = session.view === "live" && mayReadLive();
  $("nav-employer").hidden = tokenRole() !== "employer"; // the workspace of the employer role only
  $("nav-ministry").hidden = tokenRole() !== "ministry"; // the ministry's workspace
  $("nav-institution").hidden = tokenRole() !== "institution"; // the institution's workspace
  showCoordinatorNav(); // an organization that coordinates a cluster
  const badge = $("access-state");
  badge.textContent = session.token ? t("auth.signed_in") : session.publicScores ? t("auth.public") : "";
  badge.hidden = !badge.textContent;
}

function askForToken({ rejected = sessionEnd === "rejected", expired = sessionEnd === "expired", failed = false } = {}) {
  $("token-panel").hidden = false;
  $("token-error").hidden = !rejected || expired;
  $("session-expired").hidden = !expired;
  $("sign-in-failed").hidden = !failed;
  $("view").replaceChildren();
  setState("token");
  (session.signIn ? $("provider-sign-in") : $("token-input")).focus();
}

/** A new token (or none): the cache goes, and the session ends by itself at its expiry with
 * a prompt to sign in again. */
function useToken(token) {
  setToken(token);
  sessionEnd = null;
  window.clearTimeout(expiry);
  const left = token ? msUntilExpiry(token) : null;
  if (left !== null) expiry = window.setTimeout(() => endSession("expired"), Math.max(0, left));
  ctx.periods = [];
  ctx.methodology = null;
}

/** The session ends by itself ("expired") or because the API refused its token: the page asks
 * to sign in again and the route stays, so signing in goes on where the person was. What a form
 * held is gone, except an assessment's draft (kept on this device at every change). */
function endSession(why) {
  renders += 1; // a render under way belongs to the ended session: it shows nothing
  useToken(null);
  sessionEnd = why;
  showAccess();
  askForToken();
}

// The API says why it refused the token: an expiry is one even when this device's clock, and
// so the timer above, is behind the API's.
session.onRefused = (errors) => {
  const expired = errors.some((error) => error.loc?.[0] === "token" && error.loc?.[1] === "exp");
  endSession(expired ? "expired" : "rejected");
};

async function render() {
  const id = ++renders;
  const route = parseRoute();
  const view = $("view");
  showAccess();
  markNavigation(route.name);
  // The scorecards' year and publication mean nothing in the workspace (it has its own year).
  const workspace = route.name.startsWith("employer") || route.name === "unsubscribe" || route.name.startsWith("coord-") || route.name.startsWith("inst-ws");
  for (const id of ["period", "pooled"]) $(id).closest("label").hidden = workspace;
  $("publication-note").hidden = workspace;
  if (route.name.startsWith("ministry")) {
    // The ministry's workspace has its own year and shows no scorecards: no live switch either.
    for (const id of ["period", "pooled", "live"]) $(id).closest("label").hidden = true;
    $("publication-note").hidden = true;
  }
  if (route.name === "unsubscribe") {
    view.replaceChildren(...unsubscribeView(route.params));
    setState("ready", route.name);
    return;
  }
  if (!canRead() || (route.needsToken && !session.token)) {
    askForToken();
    return;
  }
  setState("loading", route.name);
  view.replaceChildren(message(t("status.loading"), "message loading"));
  try {
    await Promise.all([loadNames(), ctx.periods.length ? null : loadPeriods(), ctx.methodology ? null : loadMethodology()]);
    await showCoordinatorNav(); // the clusters the organization coordinates (asked once)
    await showPublication();
    const content = route.view ? await route.view(route.params, ctx) : [message(t("status.not_found"))];
    if (id !== renders) return; // a newer navigation has taken over
    view.replaceChildren(...[content].flat(Infinity).filter(Boolean));
    setState("ready", route.name);
  } catch (error) {
    if (id !== renders) return;
    if (error instanceof ApiError && error.status === 401 && !session.token) {
      askForToken(); // the refusal has ended the session (session.onRefused), if there was one
      return;
    }
    const text = error instanceof ApiError && error.status === 403 ? t("auth.forbidden") : t("status.error", { detail: error.message });
    view.replaceChildren(message(text, "message error"));
    setState("error", route.name);
  }
}

function markNavigation(name) {
  $("nav-overview").classList.toggle("active", ["overview", "region", "institution", "cluster"].includes(name));
  $("nav-alerts").classList.toggle("active", name === "alerts");
  $("nav-employer").classList.toggle("active", name.startsWith("employer"));
  $("nav-ministry").classList.toggle("active", name.startsWith("ministry"));
  $("nav-coordinator").classList.toggle("active", name.startsWith("coord-"));
  $("nav-institution").classList.toggle("active", name.startsWith("inst-ws"));
}

function markLanguage() {
  for (const button of document.querySelectorAll("button.language")) {
    const active = button.dataset.language === language();
    button.classList.toggle("active", active);
    button.setAttribute("aria-pressed", String(active));
  }
}

function switchLanguage(lang) {
  if (!LANGUAGES.includes(lang) || lang === language()) return;
  setLanguage(lang);
  applyTranslations();
  markLanguage();
  if (ctx.methodology) {
    $("methodology-note").textContent = t("scorecard.methodology", {
      version: ctx.methodology.version,
      level: intervalLevel(ctx.methodology),
    });
  }
  render();
}

function wireControls() {
  for (const button of document.querySelectorAll("button.language")) {
    button.addEventListener("click", () => switchLanguage(button.dataset.language));
  }
  $("period").addEventListener("change", (event) => {
    ctx.period = Number(event.target.value);
    render();
  });
  $("pooled").addEventListener("change", (event) => {
    ctx.pooled = event.target.checked;
    ctx.periods = [];
    render();
  });
  $("live").addEventListener("change", (event) => {
    session.view = event.target.checked ? "live" : "published";
    ctx.periods = [];
    render();
  });
  $("token-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const token = $("token-input").value.trim().replace(/^Bearer\s+/i, "");
    if (!token) return;
    $("token-input").value = "";
    $("token-error").hidden = true;
    useToken(token);
    render();
  });
  $("sign-out").addEventListener("click", () => {
    useToken(null);
    if (!signOutAtProvider(session.signIn)) render();
  });
  $("sign-in").addEventListener("click", () => (session.signIn ? startSignIn(session.signIn) : askForToken()));
  $("provider-sign-in").addEventListener("click", () => startSignIn(session.signIn));
  window.addEventListener("hashchange", render);
}

async function start() {
  setLanguage(language());
  applyTranslations();
  markLanguage();
  wireControls();
  try {
    await loadConfig();
  } catch {
    // Without the configuration the page asks for a token, which always works.
  }
  let failed = false;
  try {
    const token = await finishSignIn();
    if (token) useToken(token);
  } catch {
    failed = true;
  }
  if (session.token && !expiry) useToken(session.token); // a reload keeps the expiry prompt
  await render();
  if (failed && !session.token) askForToken({ failed: true });
}

start();
