// The audit trails (#/workspace/ministry/audit?service=&subject=&action=&actor=&since=&until=
// &limit=&cursor=): one service's entries in the order written, filtered as the API filters
// them (each filter exact; docs/audit.md), a page at a time. Each page is its own route, so the
// browser's Back returns to the previous one. Always read afresh: the trail grows.

import { ApiError, forget, get } from "./api.js";
import { h, message, panel } from "./components.js";
import { field, formProblem, showProblems } from "./forms.js";
import { formatDateTime, t } from "./i18n.js";
import { cell, dataTable, isMinistry, labelOr, notMinistry, sectionHref, workspaceHeader } from "./min_workspace.js";

const SERVICES = ["registry", "assessment", "quality"];
const LIMITS = ["10", "20", "50", "100"];
const FILTERS = ["subject", "action", "actor", "since", "until"];

/** "2026-03-01T09:30" (the reader's local time, as a datetime-local control holds it) of an ISO time. */
function localInput(iso) {
  const date = new Date(iso || "");
  if (Number.isNaN(date.getTime())) return "";
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60000);
  return local.toISOString().slice(0, 16);
}

function isoOf(local) {
  const date = new Date(local);
  return local && !Number.isNaN(date.getTime()) ? date.toISOString() : "";
}

function chosen(params) {
  return {
    service: SERVICES.includes(params.service) ? params.service : "registry",
    limit: LIMITS.includes(params.limit) ? params.limit : "20",
    ...Object.fromEntries(FILTERS.map((name) => [name, params[name] || ""])),
  };
}

export async function auditView(params, ctx) {
  if (!isMinistry()) return notMinistry();
  const query = chosen(params);
  const form = filterForm(query, ctx);
  const header = workspaceHeader({ active: "audit", period: null, ctx });
  const api = new URLSearchParams(Object.entries({ ...query, service: "", cursor: params.cursor || "" }).filter(([, v]) => v));
  forget(`/audit/${query.service}`);
  let page;
  try {
    page = await get(`/audit/${query.service}?${api}`);
  } catch (error) {
    if (!(error instanceof ApiError) || ![400, 422].includes(error.status)) throw error;
    // A filter the API refuses (a time it cannot read): said beside that filter.
    error.errors = error.errors.map((item) => ({ ...item, loc: item.loc?.[0] === "query" ? item.loc.slice(1) : item.loc }));
    window.setTimeout(() => showProblems(form, error), 0);
    return h("div", { class: "min-ws" }, header, panel(t("min_ws.audit_title"), [form], { className: "min-ws-audit-panel" }));
  }
  return h("div", { class: "min-ws" }, header,
    panel(t("min_ws.audit_title"), [h("p", { class: "explain" }, t("min_ws.audit_explain")), form, entries(page, query, params.cursor)], { className: "min-ws-audit-panel" }));
}

function filterForm(query, ctx) {
  const service = h("select", {}, SERVICES.map((name) => h("option", { value: name, selected: name === query.service }, t(`min_ws.service.${name}`))));
  const limit = h("select", {}, LIMITS.map((n) => h("option", { value: n, selected: n === query.limit }, n)));
  const text = (name) => h("input", { type: "text", value: query[name], autocomplete: "off", spellcheck: "false", maxlength: 255 });
  const time = (name) => h("input", { type: "datetime-local", value: localInput(query[name]) });
  const controls = { subject: text("subject"), action: text("action"), actor: text("actor"), since: time("since"), until: time("until") };
  const button = h("button", { type: "submit", class: "primary" }, t("min_ws.audit_submit"));
  const form = h("form", { id: "min-ws-audit-form", class: "workspace-form", novalidate: true },
    h("div", { class: "field-row" },
      field({ name: "service", label: t("min_ws.service"), control: service }),
      field({ name: "limit", label: t("min_ws.page_size"), control: limit })),
    field({ name: "subject", label: t("min_ws.subject"), control: controls.subject, hint: t("min_ws.subject_hint") }),
    field({ name: "action", label: t("min_ws.action"), control: controls.action, hint: t("min_ws.action_hint") }),
    field({ name: "actor", label: t("min_ws.actor"), control: controls.actor, hint: t("min_ws.actor_hint") }),
    h("div", { class: "field-row" },
      field({ name: "since", label: t("min_ws.since"), control: controls.since }),
      field({ name: "until", label: t("min_ws.until"), control: controls.until })),
    formProblem(),
    button);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const values = { service: service.value, limit: limit.value };
    for (const name of ["subject", "action", "actor"]) values[name] = controls[name].value.trim();
    for (const name of ["since", "until"]) values[name] = isoOf(controls[name].value);
    ctx.navigate(sectionHref("audit", values));
  });
  return form;
}

/** Who: the token's subject with its role and organization; the service's own work and an
 * anonymous request (a graduate's code) have no subject, only their role. */
function caller(entry) {
  const role = labelOr(`min_ws.role.${entry.actor_role}`, entry.actor_role);
  const more = [entry.actor_sub ? role : null, entry.actor_org].filter(Boolean).join(" · ");
  return [h("span", { class: "actor" }, entry.actor_sub || role), more ? h("span", { class: "note" }, more) : null];
}

function entries(page, query, cursor) {
  const rows = page.items.map((entry) => h("tr", { "data-seq": entry.seq },
    h("th", { scope: "row" }, formatDateTime(entry.at)),
    cell(t("min_ws.caller"), caller(entry)),
    cell(t("min_ws.action"), h("code", {}, entry.action)),
    cell(t("min_ws.subject"), h("code", {}, entry.subject)),
    cell("#", entry.seq, { class: "num" })));
  const pages = h("p", { class: "min-ws-pages" },
    cursor ? h("a", { href: sectionHref("audit", query), id: "min-ws-audit-first" }, t("min_ws.first_page")) : null,
    cursor && page.next_cursor ? " · " : null,
    page.next_cursor ? h("a", { href: sectionHref("audit", { ...query, cursor: page.next_cursor }), id: "min-ws-audit-next" }, t("min_ws.next_page")) : null);
  if (!rows.length) return [message(t("min_ws.no_entries"), "message empty"), pages];
  return [dataTable("min-ws-audit", [t("min_ws.time"), t("min_ws.caller"), t("min_ws.action"), t("min_ws.subject"), "#"], rows,
    t("min_ws.audit_caption", { service: t(`min_ws.service.${query.service}`) })), pages];
}
