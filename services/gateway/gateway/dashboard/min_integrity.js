// Integrity flags and exclusions (#/workspace/ministry/integrity?period=&all=1): the assessment
// service's checks of the year's active assessments, one table per check (flagged units only,
// or every unit with `all=1`); the exclusions in force; and the form recording one
// (docs/assessment.md, "Integrity checks"; docs/quality.md, "Exclusions").

import { forget, get, names, organization, program, send } from "./api.js";
import { h, message, panel } from "./components.js";
import { field, formProblem, submitOnce } from "./forms.js";
import { formatDateTime, formatNumber, formatPercent, t } from "./i18n.js";
import { cell, chosenPeriod, dataTable, flash, isMinistry, notMinistry, sectionHref, workspaceHeader } from "./min_workspace.js";

const share = (value) => (value === null || value === undefined ? "—" : formatPercent(value));
const number = (value, digits = 0) => (value === null || value === undefined ? "—" : formatNumber(value, digits));

function employerName(id) {
  return names.organizations.get(id)?.name || id;
}

function programName(id) {
  const record = names.programs.get(id);
  if (!record) return id;
  const institution = names.organizations.get(record.institution_id)?.name;
  return [`${record.code} ${record.name}`, institution].filter(Boolean).join(" · ");
}

// Each check: the units it is about and its columns ([label key, value of the check's numbers]).
const CHECKS = [
  ["dominant_employer", "programs", [
    ["min_ws.col.n", (c) => number(c.n)],
    ["min_ws.col.employer", (c) => (c.employer_id ? employerName(c.employer_id) : "—")],
    ["min_ws.col.count", (c) => number(c.count)],
    ["min_ws.col.share", (c) => share(c.share)],
    ["min_ws.col.threshold", (c) => share(c.threshold)],
  ]],
  ["self_confirmed", "programs", [
    ["min_ws.col.n", (c) => number(c.n)],
    ["min_ws.col.self_confirmed", (c) => number(c.self_confirmed)],
    ["min_ws.col.unknown", (c) => number(c.unknown)],
    ["min_ws.col.share", (c) => share(c.share)],
    ["min_ws.col.threshold", (c) => share(c.threshold)],
  ]],
  ["straight_lining", "employers", [
    ["min_ws.col.n", (c) => number(c.n)],
    ["min_ws.col.straight_lined", (c) => number(c.straight_lined)],
    ["min_ws.col.share", (c) => share(c.share)],
    ["min_ws.col.threshold", (c) => share(c.threshold)],
  ]],
  ["burst", "employers", [
    ["min_ws.col.n", (c) => number(c.n)],
    ["min_ws.col.largest", (c) => t("min_ws.burst_value", { count: c.largest, minutes: c.window_minutes })],
    ["min_ws.col.window", (c) => (c.window_start ? `${formatDateTime(c.window_start)} – ${formatDateTime(c.window_end)}` : "—")],
    ["min_ws.col.threshold", (c) => number(c.threshold)],
  ]],
  ["single_institution", "employers", [
    ["min_ws.col.n", (c) => number(c.n)],
    ["min_ws.col.institutions", (c) => number(c.institutions)],
    ["min_ws.col.institution", (c) => (c.institution_id ? employerName(c.institution_id) : "—")],
  ]],
  ["severity", "employers", [
    ["min_ws.col.n", (c) => number(c.n)],
    ["min_ws.col.leniency", (c) => number(c.leniency, 2)],
    ["min_ws.col.interval", (c) => (c.ci_low === null ? "—" : `${number(c.ci_low, 2)} – ${number(c.ci_high, 2)}`)],
    ["min_ws.col.programs", (c) => number(c.programs)],
    ["min_ws.col.threshold", (c) => number(c.threshold, 2)],
  ]],
];

export async function integrityView(params, ctx) {
  if (!isMinistry()) return notMinistry();
  const period = chosenPeriod(params, ctx);
  const all = params.all === "1";
  const [report, exclusions] = await Promise.all([get(`/assessments/integrity?period=${period}`), get("/quality/exclusions")]);
  const shown = (units, check) => units.filter((u) => all || u[check].flagged);
  // Names of what is shown: programs (with their institution), employers, institutions.
  const programs = new Set(), orgs = new Set(exclusions.map((x) => x.employer_id).filter(Boolean));
  for (const [check, per] of CHECKS) {
    for (const unit of shown(report[per], check)) {
      if (per === "programs") programs.add(unit.program_id);
      else orgs.add(unit.employer_id);
      for (const id of [unit[check].employer_id, unit[check].institution_id]) if (id) orgs.add(id);
    }
  }
  await Promise.all([...[...programs].map(program), ...[...orgs].map(organization)]);
  const form = exclusionForm(ctx);
  return h("div", { class: "min-ws" },
    workspaceHeader({ active: "integrity", period, ctx }),
    flash(ctx),
    checksPanel(report, { period, all, shown, form }),
    exclusionsPanel(exclusions, form));
}

function checksPanel(report, { period, all, shown, form }) {
  const toggle = h("a", { href: sectionHref("integrity", { period, all: all ? "" : "1" }), id: "min-ws-all" }, t(all ? "min_ws.show_flagged" : "min_ws.show_all"));
  const sections = CHECKS.map(([check, per, columns]) => {
    const units = shown(report[per], check);
    const flagged = report[per].filter((u) => u[check].flagged).length;
    const headers = [t(per === "programs" ? "min_ws.col.program" : "min_ws.col.employer"), ...columns.map(([key]) => t(key)), t("min_ws.col.flagged")];
    const rows = units.map((unit) => {
      const id = per === "programs" ? unit.program_id : unit.employer_id;
      const name = per === "programs" ? programName(id) : employerName(id);
      return h("tr", { "data-id": id, "data-flagged": String(unit[check].flagged), class: unit[check].flagged ? "flagged" : null },
        h("th", { scope: "row" }, name),
        columns.map(([key, value]) => cell(t(key), value(unit[check]))),
        cell(t("min_ws.col.flagged"), unit[check].flagged ? t("min_ws.flagged") : t("min_ws.not_flagged"), { class: "flag" }),
        per === "employers" ? cell(t("min_ws.col.act"), excludeButton(form, id, name)) : null);
    });
    if (per === "employers") headers.push(t("min_ws.col.act"));
    return h("section", { class: "min-ws-check", "data-check": check },
      h("h3", {}, t(`min_ws.check.${check}`)),
      h("p", { class: "explain" }, t(`min_ws.check_explain.${check}`)),
      h("p", { class: "note" }, t("min_ws.flagged_of", { flagged, n: report[per].length })),
      rows.length ? dataTable("min-ws-integrity", headers, rows) : message(t("min_ws.none_flagged"), "message empty"));
  });
  return panel(t("min_ws.integrity_title", { period }), [
    h("p", { class: "explain" }, t("min_ws.integrity_explain", { n: report.n })),
    h("p", {}, toggle),
    sections,
  ], { className: "min-ws-integrity-panel" });
}

/** Fills the exclusion form with an employer and moves on to the reason. */
function excludeButton(form, id, name) {
  return h("button", { type: "button", class: "link-button", "aria-label": t("min_ws.exclude_employer_named", { name }), on: { click: () => {
    form.querySelector("[data-field=employer_id] input").value = id;
    form.querySelector("[data-field=assessment_id] input").value = "";
    form.querySelector("[data-field=reason] textarea").focus();
  } } }, t("min_ws.exclude_employer"));
}

function exclusionsPanel(exclusions, form) {
  const rows = [...exclusions].sort((a, b) => b.excluded_at.localeCompare(a.excluded_at)).map((x) => h("tr", { "data-exclusion": x.id },
    h("th", { scope: "row" }, x.assessment_id ? t("min_ws.an_assessment", { id: x.assessment_id }) : t("min_ws.an_employer", { name: employerName(x.employer_id) })),
    cell(t("min_ws.reason"), x.reason),
    cell(t("min_ws.col.by"), x.excluded_by),
    cell(t("min_ws.col.at"), formatDateTime(x.excluded_at))));
  const list = rows.length
    ? dataTable("min-ws-exclusions", [t("min_ws.col.excluded"), t("min_ws.reason"), t("min_ws.col.by"), t("min_ws.col.at")], rows)
    : message(t("min_ws.no_exclusions"), "message empty");
  return panel(t("min_ws.exclusions_title"), [
    h("p", { class: "explain" }, t("min_ws.exclusions_explain")),
    list,
    h("h3", {}, t("min_ws.exclude_title")),
    form,
  ], { className: "min-ws-exclusions-panel" });
}

function exclusionForm(ctx) {
  const input = () => h("input", { type: "text", autocomplete: "off", spellcheck: "false", maxlength: 36 });
  const controls = { assessment_id: input(), employer_id: input(), reason: h("textarea", { rows: 2, maxlength: 500 }) };
  const button = h("button", { type: "submit", class: "danger" }, t("min_ws.exclude_submit"));
  const form = h("form", { id: "min-ws-exclude-form", class: "workspace-form", novalidate: true },
    field({ name: "assessment_id", label: t("min_ws.assessment_id"), control: controls.assessment_id, hint: t("min_ws.assessment_id_hint") }),
    field({ name: "employer_id", label: t("min_ws.employer_id"), control: controls.employer_id, hint: t("min_ws.employer_id_hint") }),
    field({ name: "reason", label: t("min_ws.reason"), control: controls.reason, hint: t("min_ws.exclude_reason_hint") }),
    formProblem(),
    button);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submitOnce(form, button, async () => {
      const body = Object.fromEntries(Object.entries(controls).map(([name, c]) => [name, c.value.trim()]).filter(([, v]) => v));
      const recorded = await send("POST", "/quality/exclusions", body);
      forget("/quality");
      ctx.flash = t("min_ws.excluded", { count: recorded.excluded_assessments });
      ctx.refresh();
    });
  });
  return form;
}
