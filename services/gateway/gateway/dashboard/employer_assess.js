// Assessing one employee (#/employer/assess/<graduate>?period=): every competency of the
// framework with its description, the overall questions, a draft kept on this device as the
// employer goes, then submit (POST with an Idempotency-Key), revise (PUT), withdraw (DELETE)
// and the assessment's history.

import { get, newKey, send } from "./api.js";
import { h, message, panel } from "./components.js";
import { NOT_RATED, contentOf, draftKey, dropDraft, readDraft, saveDraft, valuesOf } from "./drafts.js";
import {
  assessable,
  chosenPeriod,
  employeeName,
  flash,
  forgetWorkspace,
  isEmployer,
  latestFramework,
  loadWorkspace,
  notEmployer,
  workspaceHeader,
} from "./employer.js";
import { choices, confirmStep, field, formProblem, submitOnce } from "./forms.js";
import { formatDateTime, pick, t } from "./i18n.js";

export async function assessView(params, ctx) {
  if (!isEmployer()) return notEmployer();
  const period = chosenPeriod(params);
  const graduateId = params.id;
  const ws = await loadWorkspace();
  const header = workspaceHeader(ws, { active: "employees", period, ctx });
  const employments = ws.employments.filter((e) => e.graduate_id === graduateId);
  if (!employments.length) return [header, message(t("employer.unknown_employee"), "message error")];
  const own = ws.assessments
    .filter((a) => a.graduate_id === graduateId && a.period === period)
    .sort((a, b) => a.submitted_at.localeCompare(b.submitted_at));
  const active = own.find((a) => a.status === "active") || null;
  const framework = active ? await frameworkOf(ws, active.framework_id) : latestFramework(ws.frameworks);
  const histories = await Promise.all(own.map((a) => get(`/assessments/${encodeURIComponent(a.id)}/history`)));
  const mayAssess = Boolean(active) || employments.some((e) => assessable(e, period));
  return h(
    "div",
    { class: "employer-workspace assess-page", "data-graduate": graduateId },
    header,
    flash(ctx),
    h("h2", { class: "employee-name" }, employeeName(ws, graduateId)),
    statusLine(active, own, period),
    mayAssess && framework
      ? assessPanel({ ws, graduateId, period, active, framework, ctx })
      : message(t("employer.may_not_assess", { period }), "message empty"),
    historyPanel(own, histories),
  );
}

async function frameworkOf(ws, id) {
  return ws.frameworks.find((f) => f.id === id) || get(`/frameworks/${encodeURIComponent(id)}`);
}

function statusLine(active, own, period) {
  const withdrawn = own.some((a) => a.status === "withdrawn");
  const status = active ? "active" : withdrawn ? "withdrawn" : "none";
  const text = active
    ? t("employer.status_active", { period, revision: active.revision, date: formatDateTime(active.updated_at) })
    : t(`employer.status_${status}`, { period });
  return h("p", { class: `assessment-state ${status}`, "data-status": status, "data-assessment": active?.id }, text);
}

/** The framework's rating choices: its scale, then "not observed" and "not required" where
 * the framework has them (both are sent as a null rating, the second listed in `not_required`). */
export function ratingOptions(framework, { short = false } = {}) {
  const scale = framework.scale || {};
  const values = [];
  for (let v = scale.min ?? 1; v <= (scale.max ?? 5); v += 1) {
    const label = pick(scale.labels?.[v]);
    values.push([String(v), short || !label ? String(v) : `${v} · ${label}`]);
  }
  return [...values, ...NOT_RATED.filter((name) => scale[name]).map((name) => [name, pick(scale[name])])];
}

const FIVE = ["1", "2", "3", "4", "5"].map((v) => [v, v]);

function formValues(form) {
  const values = {};
  for (const control of form.elements) {
    if (control.type === "radio" && control.checked) values[control.name] = control.value;
    else if (control.tagName === "TEXTAREA" && control.name) values[control.name] = control.value;
  }
  return values;
}

function setValues(form, values) {
  for (const control of form.elements) {
    if (control.type === "radio") control.checked = values[control.name] === control.value;
    else if (control.tagName === "TEXTAREA" && control.name) control.value = values[control.name] || "";
  }
}

function questions(framework) {
  const options = ratingOptions(framework);
  const domains = (framework.domains || []).map((domain) =>
    h("fieldset", { class: "domain" }, h("legend", {}, pick(domain.name)),
      (domain.competencies || []).map((competency) => choices({
        name: `rating:${competency.code}`,
        field: `ratings.${competency.code}`,
        legend: pick(competency.name),
        description: pick(competency.description),
        options,
        className: "competency",
      }))));
  const comment = h("textarea", { name: "comment", rows: 3, maxlength: 2000 });
  return [
    domains,
    h("fieldset", { class: "domain overall" }, h("legend", {}, t("employer.overall_title")),
      choices({ name: "overall_satisfaction", legend: t("employer.overall"), description: t("employer.overall_scale"), options: FIVE, className: "inline" }),
      choices({ name: "preparedness", legend: t("employer.preparedness"), description: t("employer.preparedness_scale"), options: FIVE, className: "inline" }),
      choices({ name: "would_hire_again", legend: t("employer.hire_again"), options: [["yes", t("employer.yes")], ["no", t("employer.no")]], className: "inline" }),
      field({ name: "comment", label: t("employer.comment"), control: comment })),
  ];
}

function assessPanel({ ws, graduateId, period, active, framework, ctx }) {
  const key = draftKey(ws.employerId, graduateId, period);
  const draft = readDraft(key);
  const state = h("p", { class: "draft-state", "aria-live": "polite" },
    draft ? t("employer.draft_restored", { time: formatDateTime(draft.saved_at) }) : t("employer.no_draft"));
  const submit = h("button", { type: "submit", class: "primary", id: "assessment-submit" }, t(active ? "employer.revise" : "employer.submit"));
  const discard = h("button", { type: "button", id: "draft-discard" }, t("employer.discard"));
  const form = h("form", { id: "assessment-form", class: "workspace-form", novalidate: true },
    h("p", { class: "device-note" }, t("employer.drafts_note")),
    state,
    questions(framework),
    formProblem(),
    h("div", { class: "buttons" }, submit, discard));
  setValues(form, draft?.values ?? (active ? valuesOf(active) : {}));
  const save = () => {
    const at = saveDraft(key, formValues(form));
    state.textContent = at ? t("employer.draft_saved", { time: formatDateTime(at) }) : t("employer.no_draft");
  };
  form.addEventListener("change", save);
  form.addEventListener("input", save);
  discard.addEventListener("click", () => {
    dropDraft(key);
    ctx.flash = t("employer.discarded");
    ctx.refresh();
  });
  const submission = newKey(); // one per form shown: a second click replays, never adds
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submitOnce(form, submit, async () => {
      const content = contentOf(formValues(form));
      const saved = active
        ? await send("PUT", `/assessments/${encodeURIComponent(active.id)}`, content)
        : await send("POST", "/assessments",
          { employer_id: ws.employerId, graduate_id: graduateId, period, framework_id: framework.id, ...content },
          { key: submission });
      dropDraft(key);
      forgetWorkspace();
      ctx.flash = t(active ? "employer.revised" : "employer.submitted", { revision: saved.revision });
      ctx.refresh();
    });
  });
  const title = t(active ? "employer.revise_title" : "employer.assess_title", { period });
  return panel(title, [form, active ? withdrawPart(active, ctx) : null], { className: "assess-panel" });
}

/** Withdrawing asks once more in the page (no browser dialog). */
function withdrawPart(active, ctx) {
  const ask = h("button", { type: "button", class: "danger", id: "withdraw" }, t("employer.withdraw"));
  const confirm = h("button", { type: "button", class: "danger", id: "withdraw-confirm" }, t("employer.withdraw_confirm"));
  const question = confirmStep({
    ask,
    confirm,
    text: t("employer.withdraw_question"),
    cancelText: t("employer.cancel"),
    cancelId: "withdraw-cancel",
  });
  const part = h("div", { class: "withdraw" },
    h("h3", {}, t("employer.withdraw_title")),
    h("p", { class: "explain" }, t("employer.withdraw_explain")),
    ask, question, formProblem());
  confirm.addEventListener("click", () => submitOnce(part, confirm, async () => {
    await send("DELETE", `/assessments/${encodeURIComponent(active.id)}`);
    forgetWorkspace();
    ctx.flash = t("employer.withdrawn");
    ctx.refresh();
  }));
  return part;
}

function historyPanel(own, histories) {
  if (!own.length) return null;
  const sections = own.map((assessment, i) => h("section", { class: "history", "data-assessment": assessment.id },
    h("h3", {}, t("employer.history_of", { date: formatDateTime(assessment.submitted_at) })),
    h("ol", { class: "revisions" }, histories[i].map((revision) => {
      const overall = revision.state?.overall_satisfaction;
      return h("li", { "data-revision": revision.revision, "data-action": revision.action },
        [t("employer.revision", { revision: revision.revision }), t(`employer.action.${revision.action}`), formatDateTime(revision.recorded_at),
          overall !== undefined && overall !== null ? `${t("employer.overall")}: ${overall}` : null].filter(Boolean).join(" · "));
    }))));
  return panel(t("employer.history"), sections, { className: "history-panel" });
}
