// The institution's workspace (#/workspace/institution…): its programs with how many graduates
// each has, and a link to its published figures. What every workspace page reads is loaded
// here; the CSV import, the employment confirmations and the draft review are inst_*.js.

import { forget, get, getAll, optional, organization, tokenOrg, tokenRole } from "./api.js";
import { h, message, pageTitle, panel } from "./components.js";
import { flash } from "./employer.js";
import { formatNumber, t } from "./i18n.js";

export { flash }; // the message a change leaves for the page it leads to (shown once)

export function isInstitution() {
  return tokenRole() === "institution" && Boolean(tokenOrg());
}

export function notInstitution() {
  return [pageTitle(t("inst_ws.title")), message(t("inst_ws.only"), "message empty")];
}

/** What the workspace pages read: the institution's record and programs (cached for the
 * session). */
export async function loadInstitution() {
  const orgId = tokenOrg();
  const [record, programs] = await Promise.all([organization(orgId), getAll(`/programs?institution_id=${encodeURIComponent(orgId)}`)]);
  programs.sort((a, b) => a.code.localeCompare(b.code));
  return { orgId, name: record?.name || "", programs };
}

/** After a change: the next read asks the API again. */
export function forgetInstitution() {
  forget("/graduates", "/programs", "/employments");
}

/** "Name (student ref)" of each of `ids`, read one by one (only the few a page names). */
export async function graduateNames(ids) {
  const unique = [...new Set(ids)];
  const records = await Promise.all(unique.map((id) => optional(get(`/graduates/${encodeURIComponent(id)}`), null)));
  return new Map(unique.map((id, i) => [id, records[i] ? `${records[i].full_name} (${records[i].student_ref})` : id.slice(0, 8)]));
}

/** Program id → how many graduates it has (every year together), counted by the registry. */
async function graduateCounts(ws) {
  const answer = await get(`/graduates/counts?institution_id=${encodeURIComponent(ws.orgId)}`);
  const counts = new Map();
  for (const item of answer.items) counts.set(item.program_id, (counts.get(item.program_id) || 0) + item.count);
  return counts;
}

export function programName(ws, programId) {
  const program = ws.programs.find((p) => p.id === programId);
  return program ? `${program.code} ${program.name}` : programId.slice(0, 8);
}

const TABS = [
  ["programs", "#/workspace/institution", "inst_ws.tab_programs"],
  ["import", "#/workspace/institution/import", "inst_ws.tab_import"],
  ["confirmations", "#/workspace/institution/confirmations", "inst_ws.tab_confirmations"],
  ["review", "#/workspace/institution/review", "inst_ws.tab_review"],
];

/** The title and the workspace's sections: on every workspace page. */
export function workspaceHeader(ws, active) {
  return h("div", { class: "workspace-header" },
    pageTitle(t("inst_ws.title"), ws.name),
    h("nav", { class: "workspace-tabs", "aria-label": t("inst_ws.sections") },
      TABS.map(([name, href, key]) => h("a", { href, class: name === active ? "active" : null, "aria-current": name === active ? "page" : null, "data-tab": name }, t(key))),
      h("a", { href: `#/institution/${encodeURIComponent(ws.orgId)}`, "data-tab": "published" }, t("inst_ws.tab_published"))));
}

export async function instWorkspaceView(params, ctx) {
  if (!isInstitution()) return notInstitution();
  const ws = await loadInstitution();
  const counts = await graduateCounts(ws);
  return h("div", { class: "inst-workspace" }, workspaceHeader(ws, "programs"), flash(ctx), programsPanel(ws, counts), publishedPanel(ws));
}

function programsPanel(ws, counts) {
  if (!ws.programs.length) return panel(t("inst_ws.programs"), [message(t("inst_ws.no_programs"), "message empty")], { className: "inst-programs" });
  const columns = ["inst_ws.program_code", "inst_ws.program_name", "inst_ws.program_level", "inst_ws.program_field", "inst_ws.program_state", "inst_ws.program_graduates"];
  const rows = ws.programs.map((p) => h("tr", { "data-program": p.id },
    h("th", { scope: "row" }, p.code),
    h("td", { "data-label": t(columns[1]) }, p.name),
    h("td", { "data-label": t(columns[2]) }, p.level),
    h("td", { "data-label": t(columns[3]) }, p.field_code),
    h("td", { "data-label": t(columns[4]) }, t(p.active ? "inst_ws.active" : "inst_ws.inactive")),
    h("td", { class: "num graduates", "data-label": t(columns[5]) }, formatNumber(counts.get(p.id) || 0))));
  return panel(t("inst_ws.programs"), [
    h("p", { class: "explain" }, t("inst_ws.programs_explain")),
    h("div", { class: "table-wrap" }, h("table", { class: "employees inst-table" },
      h("thead", {}, h("tr", {}, columns.map((key) => h("th", { scope: "col" }, t(key))))),
      h("tbody", {}, rows))),
  ], { className: "inst-programs" });
}

function publishedPanel(ws) {
  return panel(t("inst_ws.published"), [
    h("p", { class: "explain" }, t("inst_ws.published_explain")),
    h("p", {}, h("a", { href: `#/institution/${encodeURIComponent(ws.orgId)}`, id: "inst-published-link" }, t("inst_ws.published_link"))),
  ], { className: "inst-published" });
}
