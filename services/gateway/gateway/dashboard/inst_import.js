// The graduate import (#/workspace/institution/import): a CSV file chosen on this device is
// first previewed (POST /graduates/import?dry_run=true: what the import would do and every
// refused line, nothing written), then imported as it is (all rows or none).

import { ApiError, upload } from "./api.js";
import { h, panel } from "./components.js";
import { clearProblems, field, formProblem, markInvalid, submitOnce } from "./forms.js";
import { formatNumber, t } from "./i18n.js";
import { flash, forgetInstitution, isInstitution, loadInstitution, notInstitution, workspaceHeader } from "./inst_workspace.js";

/** The graduate import, or its preview, of the file's bytes as text/csv. */
function sendCsv(file, { dryRun }) {
  const csv = new Blob([file], { type: "text/csv" });
  return upload(`/graduates/import${dryRun ? "?dry_run=true" : ""}`, csv);
}

export async function importView(params, ctx) {
  if (!isInstitution()) return notInstitution();
  const ws = await loadInstitution();
  return h("div", { class: "inst-workspace" }, workspaceHeader(ws, "import"), flash(ctx), importPanel());
}

function importPanel() {
  const file = h("input", { type: "file", accept: ".csv,text/csv", id: "import-file" });
  const button = h("button", { type: "submit", class: "primary", id: "import-preview" }, t("inst_ws.import_preview"));
  const outcome = h("div", { class: "import-outcome", id: "import-outcome", "aria-live": "polite" });
  const form = h("form", { id: "import-form", class: "workspace-form", novalidate: true },
    field({ name: "file", label: t("inst_ws.import_file"), control: file, hint: t("inst_ws.import_file_hint") }),
    formProblem(),
    button);
  file.addEventListener("change", () => {
    clearProblems(form);
    outcome.replaceChildren();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const chosen = file.files[0];
    if (!chosen) {
      clearProblems(form);
      markInvalid(form.querySelector("[data-field=file]"), t("inst_ws.import_choose"));
      file.focus();
      return;
    }
    submitOnce(form, button, async () => {
      const preview = await sendCsv(chosen, { dryRun: true });
      outcome.replaceChildren(...previewOf(preview, chosen, outcome));
      outcome.querySelector("h3").focus();
    });
  });
  return panel(t("inst_ws.import_title"), [h("p", { class: "explain" }, t("inst_ws.import_explain")), form, outcome], { className: "inst-import" });
}

function counts(answer, keys) {
  return h("dl", { class: "import-counts" }, keys.map(([name, key]) => [
    h("dt", {}, t(key)),
    h("dd", { "data-count": name }, formatNumber(answer[name])),
  ]));
}

function previewOf(preview, file, outcome) {
  const parts = [
    h("h3", { tabindex: "-1" }, t("inst_ws.preview_title", { file: file.name })),
    counts(preview, [["rows", "inst_ws.rows"], ["created", "inst_ws.would_create"], ["updated", "inst_ws.would_update"], ["unchanged", "inst_ws.would_keep"], ["error_count", "inst_ws.errors"]]),
    h("p", { class: preview.would_import ? "import-verdict good" : "import-verdict bad", "data-would-import": String(preview.would_import) },
      t(preview.would_import ? "inst_ws.preview_ok" : "inst_ws.preview_refused", { count: preview.error_count })),
  ];
  if (preview.errors.length) parts.push(refusedTable(preview.errors, preview.error_count));
  if (preview.would_import) {
    const run = h("button", { type: "button", class: "primary", id: "import-run" }, t("inst_ws.import_run", { rows: formatNumber(preview.rows) }));
    const problem = h("p", { class: "form-problem error", role: "alert", hidden: true });
    run.addEventListener("click", () => runImport({ file, run, problem, outcome }));
    parts.push(h("div", { class: "buttons" }, run), problem);
  }
  return parts;
}

async function runImport({ file, run, problem, outcome }) {
  if (run.disabled) return;
  run.disabled = true;
  problem.hidden = true;
  try {
    const result = await sendCsv(file, { dryRun: false });
    forgetInstitution();
    const note = h("p", { class: "import-result flash", role: "status", tabindex: "-1" }, t("inst_ws.imported", { file: file.name }));
    outcome.replaceChildren(note, counts(result, [["rows", "inst_ws.rows"], ["created", "inst_ws.created"], ["updated", "inst_ws.updated"], ["unchanged", "inst_ws.unchanged"]]));
    note.focus();
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    // Refused after all (the registry changed since the preview): its lines, as a preview's.
    const lines = error.errors.filter((e) => e.loc?.[1] === "row").map((e) => ({ line: e.loc[2], column: e.loc[3] ?? null, reason: e.msg }));
    problem.textContent = t("form.refused", { detail: error.message });
    problem.hidden = false;
    if (lines.length) problem.after(refusedTable(lines, lines.length));
    run.disabled = false;
  }
}

function refusedTable(errors, total) {
  const columns = ["inst_ws.line", "inst_ws.column", "inst_ws.reason"];
  return h("div", { class: "table-wrap" },
    h("table", { class: "employees refused-lines" },
      h("caption", {}, total > errors.length ? t("inst_ws.refused_first", { shown: errors.length, total }) : t("inst_ws.refused_all")),
      h("thead", {}, h("tr", {}, columns.map((key) => h("th", { scope: "col" }, t(key))))),
      h("tbody", {}, errors.map((e) => h("tr", { "data-line": e.line, "data-column": e.column || "" },
        h("td", { class: "num", "data-label": t(columns[0]) }, e.line),
        h("td", { "data-label": t(columns[1]) }, e.column || t("inst_ws.whole_line")),
        h("td", { class: "reason", "data-label": t(columns[2]) }, e.reason))))));
}
