// The employer's requirements (#/employer/requirements): how important each competency is in
// its jobs for a field of study or one program. Each statement is a new version of that
// target's series; the current ones are listed, and one can be changed (?edit=<id>).

import { getAll, newKey, program, send, unitName } from "./api.js";
import { h, message, panel } from "./components.js";
import {
  chosenPeriod,
  flash,
  forgetWorkspace,
  isEmployer,
  latestFramework,
  loadWorkspace,
  notEmployer,
  workspaceHeader,
} from "./employer.js";
import { field, formProblem, submitOnce } from "./forms.js";
import { formatDateTime, pick, t } from "./i18n.js";

const LEVELS = ["1", "2", "3", "4", "5"];

export async function requirementsView(params, ctx) {
  if (!isEmployer()) return notEmployer();
  const period = chosenPeriod(params);
  const ws = await loadWorkspace();
  const requirements = await getAll(`/requirements?employer_id=${encodeURIComponent(ws.employerId)}`);
  await Promise.all(requirements.filter((r) => r.program_id).map((r) => program(r.program_id)));
  const editing = requirements.find((r) => r.id === params.edit) || null;
  const framework = (editing && ws.frameworks.find((f) => f.id === editing.framework_id)) || latestFramework(ws.frameworks);
  return h("div", { class: "employer-workspace" },
    workspaceHeader(ws, { active: "requirements", period, ctx }),
    flash(ctx),
    listPanel(ws, requirements, period),
    framework ? formPanel({ ws, framework, editing, period, ctx }) : null);
}

function targetOf(requirement) {
  if (requirement.field_code) return t("employer.req_field", { code: requirement.field_code });
  return t("employer.req_program", { name: unitName("program", requirement.program_id) });
}

function frameworkNames(ws) {
  const names = new Map();
  for (const framework of ws.frameworks) {
    for (const domain of framework.domains || []) for (const c of domain.competencies || []) names.set(c.code, pick(c.name));
  }
  return names;
}

function listPanel(ws, requirements, period) {
  if (!requirements.length) return panel(t("employer.requirements"), [message(t("employer.no_requirements"), "message empty")], { className: "requirements-panel" });
  const names = frameworkNames(ws);
  const rows = requirements.map((r) => h("tr", { "data-requirement": r.id, "data-target": r.field_code || r.program_id },
    h("th", { scope: "row" }, targetOf(r)),
    h("td", { class: "num" }, r.version),
    h("td", {}, formatDateTime(r.published_at)),
    h("td", {}, h("details", {}, h("summary", {}, t("employer.req_stated", { count: Object.keys(r.importance).length })),
      h("ul", { class: "importance" }, Object.entries(r.importance).map(([code, level]) => h("li", {}, `${names.get(code) || code}: ${level}`))))),
    h("td", {}, h("a", { href: `#/employer/requirements?period=${period}&edit=${encodeURIComponent(r.id)}` }, t("employer.req_change")))));
  return panel(t("employer.requirements"), [
    h("p", { class: "explain" }, t("employer.requirements_explain")),
    h("div", { class: "table-wrap" }, h("table", { class: "requirements" },
      h("thead", {}, h("tr", {}, ["employer.req_target", "employer.req_version", "employer.req_published", "employer.req_importance", "employer.action"]
        .map((key) => h("th", { scope: "col" }, t(key))))),
      h("tbody", {}, rows))),
  ], { className: "requirements-panel" });
}

function importanceSelect(code, value) {
  return h("select", { name: `importance:${code}`, id: `importance-${code}` },
    h("option", { value: "" }, t("employer.req_not_stated")),
    LEVELS.map((level) => h("option", { value: level, selected: value === Number(level) }, `${level} · ${t(`importance.${level}`)}`)));
}

function formPanel({ ws, framework, editing, period, ctx }) {
  const fieldCode = h("input", { type: "text", inputmode: "numeric", maxlength: 4, value: editing?.field_code || "" });
  const programId = h("input", { type: "text", spellcheck: "false", value: editing?.program_id || "" });
  const importance = (framework.domains || []).map((domain) => h("fieldset", { class: "domain" },
    h("legend", {}, pick(domain.name)),
    (domain.competencies || []).map((c) => field({
      name: `importance.${c.code}`,
      label: pick(c.name),
      control: importanceSelect(c.code, editing?.importance?.[c.code]),
    }))));
  const button = h("button", { type: "submit", class: "primary", id: "requirement-submit" }, t("employer.req_submit"));
  const form = h("form", { id: "requirement-form", class: "workspace-form", novalidate: true },
    h("div", { class: "field-row" },
      field({ name: "field_code", label: t("employer.req_field_code"), control: fieldCode, hint: t("employer.req_field_hint") }),
      field({ name: "program_id", label: t("employer.req_program_id"), control: programId, hint: t("employer.req_program_hint") })),
    h("div", { class: "importance-group", "data-field": "importance" },
      h("p", { class: "explain" }, t("employer.req_scale")), importance, h("p", { class: "field-error", hidden: true })),
    formProblem(),
    button);
  const key = newKey();
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submitOnce(form, button, async () => {
      const stated = {};
      for (const select of form.querySelectorAll("select")) if (select.value) stated[select.name.slice("importance:".length)] = Number(select.value);
      const body = { employer_id: ws.employerId, framework_id: framework.id, importance: stated };
      if (fieldCode.value.trim()) body.field_code = fieldCode.value.trim();
      if (programId.value.trim()) body.program_id = programId.value.trim();
      const saved = await send("POST", "/requirements", body, { key });
      forgetWorkspace();
      ctx.flash = t("employer.req_saved", { version: saved.version });
      if (editing) ctx.navigate(`#/employer/requirements?period=${period}`);
      else ctx.refresh();
    });
  });
  const title = editing ? t("employer.req_edit_title", { target: targetOf(editing) }) : t("employer.req_new_title");
  return panel(title, [h("p", { class: "explain" }, t("employer.req_form_explain")), form], { className: "requirement-form-panel" });
}
