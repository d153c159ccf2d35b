// Rating many employees at once (#/employer/table?period=): one row per employee still to be
// assessed for the period, one column per competency and overall question, each cell a
// select (keyboard: Tab between cells, a digit or letter picks a value). Rows with anything
// filled in go in one bulk request (all or none, with an Idempotency-Key); each row then says
// what became of it. Every row is also that employee's draft on this device.

import { ApiError, newKey, send } from "./api.js";
import { h, message, panel } from "./components.js";
import { contentOf, draftKey, dropDraft, readDraft, saveDraft } from "./drafts.js";
import { ratingOptions } from "./employer_assess.js";
import {
  assessHref,
  chosenPeriod,
  competencies,
  employeeName,
  flash,
  forgetWorkspace,
  isEmployer,
  latestFramework,
  loadWorkspace,
  notEmployer,
  pendingFor,
  workspaceHeader,
} from "./employer.js";
import { formProblem, markInvalid, problemText, slotFor, submitOnce } from "./forms.js";
import { pick, t } from "./i18n.js";

export async function tableView(params, ctx) {
  if (!isEmployer()) return notEmployer();
  const period = chosenPeriod(params);
  const ws = await loadWorkspace();
  const framework = latestFramework(ws.frameworks);
  const pending = pendingFor(ws, period);
  const title = t("employer.table_title", { period });
  const body = pending.length && framework
    ? [h("p", { class: "explain" }, t("employer.table_explain")), h("p", { class: "device-note" }, t("employer.drafts_note")),
      sheet({ ws, framework, period, pending })]
    : [message(t("employer.nothing_pending", { period }), "message empty")];
  return h("div", { class: "employer-workspace" },
    workspaceHeader(ws, { active: "table", period, ctx }), flash(ctx), panel(title, body, { className: "table-panel" }));
}

function columns(framework) {
  const five = ["1", "2", "3", "4", "5"].map((v) => [v, v]);
  return [
    ...competencies(framework).map((c) => ({
      name: `rating:${c.code}`,
      field: `ratings.${c.code}`,
      label: pick(c.name),
      description: pick(c.description),
      options: ratingOptions(framework, { short: true }),
    })),
    { name: "overall_satisfaction", field: "overall_satisfaction", label: t("employer.overall"), options: five },
    { name: "preparedness", field: "preparedness", label: t("employer.preparedness"), options: five },
    { name: "would_hire_again", field: "would_hire_again", label: t("employer.hire_again"), options: [["yes", t("employer.yes")], ["no", t("employer.no")]] },
  ];
}

function rowValues(row) {
  return Object.fromEntries([...row.querySelectorAll("select")].map((select) => [select.name, select.value]));
}

function sheetRow({ ws, graduateId, period, cols }) {
  const key = draftKey(ws.employerId, graduateId, period);
  const values = readDraft(key)?.values || {};
  const name = employeeName(ws, graduateId);
  const row = h("tr", { "data-graduate": graduateId },
    h("th", { scope: "row" }, h("a", { href: assessHref(graduateId, period) }, name)),
    cols.map((col) => h("td", { "data-field": col.field, "data-label": col.label },
      h("select", { name: col.name, "aria-label": `${name}: ${col.label}` },
        h("option", { value: "" }, "—"),
        col.options.map(([value, label]) => h("option", { value, selected: values[col.name] === value }, label))))),
    h("td", { class: "row-status", "aria-live": "polite" }));
  // The row is this employee's draft: kept with whatever the form added (a comment).
  row.addEventListener("change", () => saveDraft(key, { ...(readDraft(key)?.values || {}), ...rowValues(row) }));
  return row;
}

/** The focused cell wholly in view, clear of the sticky names' column (the box's scroll-padding):
 * the browser scrolls no further than to show a part of it (WCAG 2.4.11). */
function reveal(event) {
  if (event.target !== event.currentTarget) event.target.scrollIntoView({ block: "nearest", inline: "nearest" });
}

function sheet({ ws, framework, period, pending }) {
  const cols = columns(framework);
  const rows = pending.map((graduateId) => sheetRow({ ws, graduateId, period, cols }));
  const button = h("button", { type: "submit", class: "primary", id: "table-submit" }, t("employer.table_submit"));
  const summary = h("p", { class: "table-summary", role: "status" });
  const form = h("form", { id: "assessment-table", novalidate: true },
    h("div", { class: "table-wrap sheet", tabindex: "0", role: "region", "aria-label": t("employer.table_title", { period }), on: { focusin: reveal } },
      h("table", { class: "rating-sheet" },
        h("caption", {}, t("employer.table_caption")),
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("employer.employee")),
          cols.map((col) => h("th", { scope: "col", title: col.description || null }, col.label)),
          h("th", { scope: "col" }, t("employer.outcome")))),
        h("tbody", {}, rows))),
    formProblem(), summary, button);
  let key = newKey(); // a new one once a batch is saved
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submitOnce(form, button, async () => {
      summary.textContent = "";
      const sending = rows.filter((row) => !row.classList.contains("done") && Object.values(rowValues(row)).some(Boolean));
      for (const row of rows) if (!row.classList.contains("done")) outcome(row, "", "");
      if (!sending.length) {
        summary.textContent = t("employer.table_empty");
        return;
      }
      const items = sending.map((row) => ({
        employer_id: ws.employerId, graduate_id: row.dataset.graduate, period, framework_id: framework.id, ...contentOf(rowValues(row)),
      }));
      try {
        const answer = await send("POST", "/assessments/bulk", { items }, { key });
        key = newKey();
        answer.items.forEach((assessment, i) => saved(sending[i], assessment, { ws, period }));
        forgetWorkspace();
        summary.textContent = t("employer.table_done", { count: answer.items.length });
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        refused(form, sending, error);
      }
    });
  });
  return form;
}

function outcome(row, status, text) {
  row.dataset.status = status;
  const cell = row.querySelector(".row-status");
  cell.replaceChildren(...[text].flat().filter(Boolean));
  cell.className = `row-status ${status}`.trim();
}

function saved(row, assessment, { ws, period }) {
  dropDraft(draftKey(ws.employerId, row.dataset.graduate, period));
  outcome(row, "submitted", h("a", { href: assessHref(row.dataset.graduate, period) }, t("employer.row_submitted")));
  row.dataset.assessment = assessment.id;
  row.classList.add("done");
  for (const select of row.querySelectorAll("select")) select.disabled = true;
}

/** All or none: each refused row says why, the others that nothing of them was saved. */
function refused(form, sending, error) {
  const reasons = new Map();
  const other = [];
  for (const item of error.errors) {
    const loc = item.loc?.[0] === "body" ? item.loc.slice(1) : item.loc || [];
    const row = loc[0] === "items" ? sending[loc[1]] : undefined;
    if (!row) {
      other.push(problemText(item));
      continue;
    }
    const slot = slotFor(row, loc.slice(2));
    if (slot) markInvalid(slot, "");
    const text = slot ? `${slot.dataset.label}: ${problemText(item)}` : problemText(item);
    reasons.set(row, [...(reasons.get(row) || []), text]);
  }
  for (const row of sending) {
    if (reasons.has(row)) {
      outcome(row, "refused", reasons.get(row).join(" "));
    } else {
      outcome(row, "not_saved", t("employer.row_not_saved"));
    }
  }
  const line = form.querySelector(".form-problem");
  line.textContent = [t("employer.table_refused"), ...other].join(" ");
  if (!error.errors.length) line.textContent = t("form.refused", { detail: error.message });
  line.hidden = false;
  line.setAttribute("tabindex", "-1");
  (form.querySelector("[aria-invalid]") || line).focus();
}
