// The ministry's workspace (#/workspace/ministry…, the `ministry` role only): publications and
// their review (min_publications.js), the methodology in force (here) with the form publishing
// the next version (min_methodology.js), integrity flags and exclusions (min_integrity.js) and
// the services' audit trails (min_audit.js). What every page of it shares is here: the role
// check, the header with its sections and its own year, tables.

import { get, tokenRole } from "./api.js";
import { h, message, pageTitle, panel } from "./components.js";
import { flash } from "./employer.js";
import { formatNumber, formatPercent, t } from "./i18n.js";
import { publishForm } from "./min_methodology.js";

export { flash };

const BASE = "#/workspace/ministry";
const SECTIONS = [
  ["publications", "", "min_ws.tab_publications"],
  ["methodology", "/methodology", "min_ws.tab_methodology"],
  ["integrity", "/integrity", "min_ws.tab_integrity"],
  ["audit", "/audit", "min_ws.tab_audit"],
];

export function isMinistry() {
  return tokenRole() === "ministry";
}

/** What another role sees instead (no API is asked). */
export function notMinistry() {
  return [pageTitle(t("min_ws.title")), message(t("min_ws.only"), "message empty")];
}

/** The years the ministry may pick: those with national figures and the last three. */
export function periods(ctx) {
  const year = new Date().getFullYear();
  return [...new Set([year, year - 1, year - 2, ...ctx.periods])].filter((y) => y <= year).sort((a, b) => b - a);
}

export function chosenPeriod(params, ctx) {
  const period = Number(params.period);
  return periods(ctx).includes(period) ? period : periods(ctx)[0];
}

export function sectionHref(name, params = {}) {
  const path = SECTIONS.find(([section]) => section === name)[1];
  const query = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== "" && v !== null && v !== undefined)).toString();
  return `${BASE}${path}${query ? `?${query}` : ""}`;
}

/** The title, the sections and (where the section has one) the workspace's own year. */
export function workspaceHeader({ active, period, ctx }) {
  const select = period
    ? h("select", { id: "min-ws-period", on: { change: (event) => ctx.navigate(sectionHref(active, { period: event.target.value })) } },
      periods(ctx).map((year) => h("option", { value: year, selected: year === period }, year)))
    : null;
  return h("div", { class: "workspace-header" },
    pageTitle(t("min_ws.title")),
    h("nav", { class: "workspace-tabs", "aria-label": t("min_ws.sections") },
      SECTIONS.map(([name, , key]) => h("a", {
        href: sectionHref(name, name === "audit" || !period ? {} : { period }),
        class: name === active ? "active" : null,
        "aria-current": name === active ? "page" : null,
        "data-tab": name,
      }, t(key)))),
    select ? [h("label", { class: "control workspace-period", for: "min-ws-period" }, t("min_ws.period")), select] : null);
}

/** A cell with its column's name, shown before it when the table becomes cards on a phone. */
export function cell(label, content, attrs = {}) {
  return h("td", { "data-label": label, ...attrs }, content ?? "—");
}

/** A table in its own scrolling box; `headers`: column names, `rows`: <tr> elements. */
export function dataTable(className, headers, rows, caption) {
  return h("div", { class: "table-wrap" }, h("table", { class: `min-ws-cards ${className}` },
    caption ? h("caption", {}, caption) : null,
    h("thead", {}, h("tr", {}, headers.map((name) => h("th", { scope: "col" }, name)))),
    h("tbody", {}, rows)));
}

/** An API label (an indicator, a threshold) in the page's language, else as the API names it. */
export function labelOr(key, fallback) {
  const text = t(key);
  return text === key ? fallback : text;
}

export async function methodologyView(params, ctx) {
  if (!isMinistry()) return notMinistry();
  const m = await get("/quality/methodology");
  const facts = [
    ["min_ws.m.interval_level", formatPercent(m.interval_level, 1)],
    ["min_ws.m.satisfied_threshold", t("min_ws.m.satisfied_value", { n: m.satisfied_threshold })],
    ["min_ws.m.alert_index_below", formatNumber(m.alert_index_below, 1)],
    ["min_ws.m.min_published_weight_share", formatPercent(m.min_published_weight_share)],
    ["min_ws.m.min_known_share", formatPercent(m.min_known_share ?? 0.5)],
    ["min_ws.m.outcome_lag_days", formatNumber(m.outcome_lag_days ?? 92)],
    ["min_ws.m.counting_states", (m.counting_employment_states || []).map((s) => t(`employment_state.${s}`)).join(", ")],
    ["min_ws.m.rounding", Object.entries(m.rounding || {}).map(([k, v]) => `${labelOr(`min_ws.m.${k}`, k)}: ${v}`).join(" · ")],
  ];
  const weights = Object.entries(m.weights).map(([name, weight]) => h("tr", { "data-weight": name, "data-value": weight },
    h("th", { scope: "row" }, labelOr(`indicator.${name}`, name)), cell(t("min_ws.m.weight"), formatPercent(weight)), cell(t("min_ws.m.key"), h("code", {}, name))));
  const thresholds = Object.entries(m.thresholds).map(([name, value]) => h("tr", { "data-threshold": name },
    h("th", { scope: "row" }, labelOr(`min_ws.threshold.${name}`, name)), cell(t("min_ws.m.value"), formatNumber(value, 2)), cell(t("min_ws.m.key"), h("code", {}, name))));
  return h("div", { class: "min-ws" },
    workspaceHeader({ active: "methodology", period: null, ctx }),
    flash(ctx),
    h("section", { class: "panel min-ws-methodology", "data-version": m.version },
      h("h2", {}, t("min_ws.m.title", { version: m.version })),
      h("p", { class: "explain" }, t("min_ws.m.explain")),
      h("dl", { class: "min-ws-facts" }, facts.map(([key, value]) => [h("dt", {}, t(key)), h("dd", {}, value || "—")])),
      h("h3", {}, t("min_ws.m.weights")),
      dataTable("min-ws-weights", [t("min_ws.m.indicator"), t("min_ws.m.weight"), t("min_ws.m.key")], weights),
      h("h3", {}, t("min_ws.m.thresholds")),
      dataTable("min-ws-thresholds", [t("min_ws.m.threshold"), t("min_ws.m.value"), t("min_ws.m.key")], thresholds),
      h("h3", {}, t("min_ws.m.new_title")),
      h("p", { class: "explain" }, t("min_ws.m.new_explain"), " ", h("code", {}, "POST /api/v1/quality/methodology"), " ", t("min_ws.m.new_docs")),
      publishForm(m, ctx)));
}
