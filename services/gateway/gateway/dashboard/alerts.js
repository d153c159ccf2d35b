// Alerts, newest first, filterable by kind.

import { competencyName, getAll, organization, program, unitHref, unitName } from "./api.js";
import { figureText, h, message, pageTitle } from "./components.js";
import { formatDateTime, formatNumber, t } from "./i18n.js";

const ALERT_KINDS = ["index_below_threshold", "significant_drop", "competency_gap"];

function alertDetail(alert) {
  const d = alert.detail || {};
  if (alert.kind === "index_below_threshold") {
    return t("alert.detail.index", { index: formatNumber(d.index, 1), threshold: formatNumber(d.threshold, 0) });
  }
  if (alert.kind === "significant_drop") {
    const before = { value: d.previous_value, ci_low: d.previous_ci_low, ci_high: d.previous_ci_high };
    const now = { value: d.value, ci_low: d.ci_low, ci_high: d.ci_high };
    return t("alert.detail.drop", { previous: figureText("share", before), current: figureText("share", now) });
  }
  if (alert.kind === "competency_gap") {
    return t("alert.detail.gap", {
      competency: competencyName(d.competency),
      importance: formatNumber(d.importance, 2),
      performance: formatNumber(d.performance, 2),
    });
  }
  return JSON.stringify(d);
}

export async function alertsView(params, ctx) {
  const alerts = (await getAll("/quality/alerts")).reverse(); // the API lists newest last
  await Promise.all(
    alerts.map((alert) => (alert.scope === "program" ? program(alert.scope_id) : alert.scope === "organization" ? organization(alert.scope_id) : null)),
  );
  const kind = ALERT_KINDS.includes(params.kind) ? params.kind : "";
  const shown = kind ? alerts.filter((alert) => alert.kind === kind) : alerts;
  const filter = h("select", { id: "alert-kind", "aria-label": t("alerts.kind"), on: { change: (event) => ctx.navigate(event.target.value ? `#/alerts?kind=${event.target.value}` : "#/alerts") } },
    h("option", { value: "" }, t("alerts.all")),
    ALERT_KINDS.map((k) => h("option", { value: k, selected: k === kind }, t(`alert.${k}`))));
  const content = [pageTitle(t("alerts.title")), h("div", { class: "filters" }, filter)];
  if (!shown.length) return [...content, message(t("alerts.none"), "message empty")];
  const rows = shown.map((alert) => {
    const href = unitHref(alert.scope, alert.scope_id);
    const name = unitName(alert.scope, alert.scope_id, t("scope.national"));
    return h(
      "tr",
      { class: `alert ${alert.kind}`, "data-id": alert.id },
      h("td", {}, formatDateTime(alert.raised_at)),
      h("td", {}, h("span", { class: `kind ${alert.kind}` }, t(`alert.${alert.kind}`))),
      h("td", {}, `${t(`scope.${alert.scope}`)}: `, href ? h("a", { href }, name) : name),
      h("td", { class: "num" }, alert.period),
      h("td", {}, alertDetail(alert)),
    );
  });
  content.push(h("div", { class: "table-wrap panel" }, h("table", { class: "alerts" },
    h("thead", {}, h("tr", {}, ...["alerts.raised", "alerts.kind", "alerts.scope", "alerts.period", "alerts.detail"].map((key) => h("th", {}, t(key))))),
    h("tbody", {}, rows))));
  return content;
}
