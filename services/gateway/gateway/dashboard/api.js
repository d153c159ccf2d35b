// The quality, registry and assessment APIs on the same origin, with the pasted bearer token.
// Answers are cached for the session (cleared when the token changes), so switching language
// or coming back to a page does not ask again.

import { language, localizedName, pick } from "./i18n.js";

const TOKEN_KEY = "educluster.token";
const PAGE_SIZE = 500;

export class ApiError extends Error {
  /** `errors`: the problem's list of refusals, each naming its field by `loc`. */
  constructor(status, detail, errors = []) {
    super(detail);
    this.status = status;
    this.errors = Array.isArray(errors) ? errors : [];
  }
}

export const session = {
  token: readToken(),
  publicScores: false,
  signIn: null, // the identity provider's sign-in (config.json), when there is one
  apiBase: "api/v1",
  // Which figures scores are read from: "published" (everyone's) or "live" (the ministry's).
  view: "published",
  // Called with the problem's errors when the API refuses the token (401): app.js ends the
  // session there, whichever page or form made the call.
  onRefused: null,
};

const cache = new Map();

function readToken() {
  try {
    return window.sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

export function setToken(token) {
  session.token = token || null;
  try {
    if (token) window.sessionStorage.setItem(TOKEN_KEY, token);
    else window.sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // Kept in memory only.
  }
  cache.clear();
  for (const map of Object.values(names)) map.clear();
}

/** The token's `role`, `org` or `region`, read where the services read it (shared/platform/
 * auth.py): the identity provider's tokens (naming its issuer) under the claim names it is
 * configured with (config.json; dotted: nested objects), the platform's own under these names.
 * The services verify the token; this only shapes the page. */
function tokenClaim(name) {
  let claims;
  try {
    const payload = session.token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    claims = JSON.parse(atob(payload));
  } catch {
    return null;
  }
  const provider = session.signIn;
  const path = (provider?.claims && claims?.iss === provider.issuer && provider.claims[name]) || name;
  let value = claims;
  for (const part of path.split(".")) value = isObject(value) ? value[part] : undefined;
  return typeof value === "string" && value ? value : null;
}

function isObject(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function tokenRole() {
  return tokenClaim("role");
}

/** The organization the token acts for (an institution's or an employer's). */
export function tokenOrg() {
  return tokenClaim("org");
}

/** Only the ministry reads live figures; everyone else reads publications. */
export function mayReadLive() {
  return tokenRole() === "ministry";
}

// Score reads name the view; the methodology and the publications are the same in both.
function withView(path) {
  if (!/^\/quality\/(?!methodology|publications)/.test(path)) return path;
  const view = session.view === "live" && mayReadLive() ? "live" : "published";
  return `${path}${path.includes("?") ? "&" : "?"}view=${view}`;
}

/** Whether the page may call the API now: with a token, or anonymously when scores are public. */
export function canRead() {
  return Boolean(session.token) || session.publicScores;
}

export async function loadConfig() {
  const response = await fetch("dashboard/config.json", { headers: { Accept: "application/json" } });
  if (response.ok) {
    const config = await response.json();
    session.publicScores = Boolean(config.public_scores);
    session.signIn = config.sign_in || null;
    session.apiBase = config.api || session.apiBase;
  }
}

async function request(path, { method = "GET", body, key, file } = {}) {
  // Problems (errors beside fields too) come back in the page's language (RFC 9457 + 9110).
  const headers = { Accept: "application/json", "Accept-Language": language() };
  const token = session.token;
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (file) headers["Content-Type"] = file.type || "application/octet-stream";
  if (key) headers["Idempotency-Key"] = key;
  let response;
  try {
    const payload = file ?? (body === undefined ? undefined : JSON.stringify(body));
    response = await fetch(`${session.apiBase}${path}`, { method, headers, body: payload });
  } catch (error) {
    throw new ApiError(0, error.message);
  }
  if (!response.ok) {
    let detail = `${response.status} ${response.statusText}`;
    let errors = [];
    try {
      const problem = await response.json();
      detail = problem.detail || problem.title || detail;
      errors = problem.errors || [];
    } catch {
      // Not a problem document: the status says enough.
    }
    // Only the session's current token: an answer to one already replaced changes nothing.
    if (response.status === 401 && token && token === session.token) session.onRefused?.(errors);
    throw new ApiError(response.status, detail, errors);
  }
  return response.status === 204 ? null : response.json();
}

/** A change (POST, PUT, DELETE) with a JSON body; `key`: its Idempotency-Key, so a repeated
 * request (a double click, a retry after a lost answer) creates nothing twice. */
export function send(method, path, body, { key } = {}) {
  return request(path, { method, body, key });
}

/** POST a file's bytes as they are (never re-encoded), e.g. a CSV `Blob` of type text/csv. */
export function upload(path, file) {
  return request(path, { method: "POST", file });
}

/** A fresh Idempotency-Key (getRandomValues: available on plain http too, unlike randomUUID). */
export function newKey() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Drop the cached answers of paths starting with one of `prefixes` (after a change). */
export function forget(...prefixes) {
  for (const url of [...cache.keys()]) {
    if (prefixes.some((prefix) => url.startsWith(prefix))) cache.delete(url);
  }
}

/** GET an API path (under /api/v1), once per session and view. */
export function get(path) {
  const url = withView(path);
  if (!cache.has(url)) {
    const pending = request(url);
    cache.set(url, pending);
    pending.catch(() => cache.delete(url));
  }
  return cache.get(url);
}

/** The latest published publication of a period, or null. */
export async function latestPublication(period) {
  const page = await get(`/quality/publications?period=${period}&limit=20`);
  return page.items.find((publication) => publication.status === "published") || null;
}

/** Every item of a paginated list (`{items, next_cursor}`). */
export async function getAll(path) {
  const items = [];
  let cursor = null;
  do {
    const separator = path.includes("?") ? "&" : "?";
    const after = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
    const page = await get(`${path}${separator}limit=${PAGE_SIZE}${after}`);
    items.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor);
  return items;
}

/** A lookup only some roles may make: `fallback` when refused. */
export async function optional(promise, fallback) {
  try {
    return await promise;
  } catch (error) {
    if (error.status === 403 || error.status === 404) return fallback;
    throw error;
  }
}

// Names of what the scores are about: the registry's records with a token; without one (public
// scores), the quality service's names of what it scores (names and ids only). Competency and
// domain names come from the frameworks, public reference data, either way.
export const names = {
  regions: new Map(),
  organizations: new Map(),
  clusters: new Map(),
  programs: new Map(),
  competencies: new Map(),
  domains: new Map(),
};

export async function loadNames() {
  if (!canRead() || names.regions.size) return;
  const [frameworks] = await Promise.all([
    optional(getAll("/frameworks"), []),
    session.token ? loadRegistryNames() : loadScoredNames(),
  ]);
  for (const framework of frameworks) {
    for (const domain of framework.domains || []) {
      names.domains.set(domain.code, domain.name);
      for (const competency of domain.competencies || []) {
        names.competencies.set(competency.code, competency.name);
      }
    }
  }
}

async function loadRegistryNames() {
  const [regions, organizations, clusters] = await Promise.all([
    optional(getAll("/regions"), []),
    optional(getAll("/organizations?kind=education"), []),
    optional(getAll("/clusters"), []),
  ]);
  for (const region of regions) names.regions.set(region.code, region);
  for (const organization of organizations) names.organizations.set(organization.id, organization);
  for (const cluster of clusters) names.clusters.set(cluster.id, cluster);
}

/** Without a token: regions (uz/ru/en), institutions, clusters and programs as the quality
 * service names them; a program has no code there, only its name. */
async function loadScoredNames() {
  const scored = await optional(get("/quality/names"), null);
  if (!scored) return;
  for (const region of scored.regions) names.regions.set(region.code, region);
  for (const organization of scored.organizations) names.organizations.set(organization.id, organization);
  for (const cluster of scored.clusters) names.clusters.set(cluster.id, cluster);
  for (const program of scored.programs) names.programs.set(program.id, program);
}

/** An organization's registry record (fetched once when not among the education ones). */
export async function organization(id) {
  if (!names.organizations.has(id) && session.token) {
    const record = await optional(get(`/organizations/${encodeURIComponent(id)}`), null);
    if (record) names.organizations.set(id, record);
  }
  return names.organizations.get(id) || null;
}

export async function program(id) {
  if (!names.programs.has(id) && session.token) {
    const record = await optional(get(`/programs/${encodeURIComponent(id)}`), null);
    if (record) names.programs.set(id, record);
  }
  return names.programs.get(id) || null;
}

/** The display name of a scored unit. */
export function unitName(scope, id, fallbackNational) {
  if (scope === "national") return fallbackNational;
  if (scope === "region") return localizedName(names.regions.get(id)) || id;
  if (scope === "organization") return names.organizations.get(id)?.name || shortId(id);
  if (scope === "cluster") return names.clusters.get(id)?.name || shortId(id);
  if (scope === "program") {
    const record = names.programs.get(id);
    return record ? [record.code, record.name].filter(Boolean).join(" ") : shortId(id);
  }
  return id;
}

export function competencyName(code) {
  return pick(names.competencies.get(code)) || code;
}

export function domainName(code, fallback) {
  return pick(names.domains.get(code)) || fallback;
}

function shortId(id) {
  return id.length > 13 ? `${id.slice(0, 8)}…` : id;
}

export function unitHref(scope, id) {
  const encoded = encodeURIComponent(id);
  return {
    national: "#/",
    region: `#/region/${encoded}`,
    organization: `#/institution/${encoded}`,
    cluster: `#/cluster/${encoded}`,
  }[scope] || null;
}

export function periodQuery(ctx) {
  return `period=${ctx.period}&pooled=${ctx.pooled}`;
}

/** A scope's scorecards over the years (an empty list, never a 404, when it has none yet). */
export function history(scope, id, ctx) {
  return get(`/quality/${scope}/${encodeURIComponent(id)}/history?pooled=${ctx.pooled}`);
}

/** A scope's scorecard of the selected year, or null. */
export async function scoreOf(scope, id, ctx) {
  return (await history(scope, id, ctx)).find((card) => card.period === ctx.period) || null;
}
