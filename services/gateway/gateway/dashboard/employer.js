// The employer's workspace (#/employer): its employees by employment state with each one's
// latest assessment, who is still to be assessed for the period, claiming an employment (the
// graduate found by national identifier: employer_lookup.js) and confirming one with the
// graduate's code. What every workspace page reads is loaded here; the assessment form, the
// table view and the requirements are employer_*.js.

import { forget, get, getAll, newKey, optional, organization, send, tokenOrg, tokenRole } from "./api.js";
import { h, message, pageTitle, panel } from "./components.js";
import { draftKey, readDraft } from "./drafts.js";
import { lookupSection } from "./employer_lookup.js";
import { field, formProblem, submitOnce, uid } from "./forms.js";
import { LANGUAGES, formatDateTime, language, t } from "./i18n.js";

// Only a confirmed or verified employment lets its employer assess the graduate.
export const COUNTING = ["confirmed", "verified"];
const STATES = ["confirmed", "verified", "claimed", "disputed", "rejected"];

export function isEmployer() {
  return tokenRole() === "employer" && Boolean(tokenOrg());
}

export function notEmployer() {
  return [pageTitle(t("employer.title")), message(t("employer.only"), "message empty")];
}

/** The years an employer may pick: this one and the two before (never a future year). */
export function periods() {
  const year = new Date().getFullYear();
  return [year, year - 1, year - 2];
}

export function chosenPeriod(params) {
  const period = Number(params.period);
  return periods().includes(period) ? period : periods()[0];
}

/** What the workspace pages read: the employer's employments, the names of the graduates it
 * may see, its assessments and the published frameworks (each cached for the session). */
export async function loadWorkspace() {
  const employerId = tokenOrg();
  const [employments, graduates, assessments, frameworks, record] = await Promise.all([
    getAll(`/employments?employer_id=${encodeURIComponent(employerId)}`),
    optional(getAll("/graduates"), []),
    getAll("/assessments"),
    getAll("/frameworks"),
    organization(employerId),
  ]);
  const names = new Map(graduates.map((graduate) => [graduate.id, graduate.full_name]));
  return { employerId, employerName: record?.name || "", employments, names, assessments, frameworks };
}

/** After a change: the next read asks the API again. */
export function forgetWorkspace() {
  forget("/employments", "/graduates", "/assessments", "/requirements");
}

export function employeeName(ws, graduateId) {
  return ws.names.get(graduateId) || t("employer.graduate_ref", { id: graduateId.slice(0, 8) });
}

/** The latest framework version of the first code the API lists (the default framework). */
export function latestFramework(frameworks) {
  const code = frameworks[0]?.code;
  return frameworks.filter((f) => f.code === code).sort((a, b) => b.version - a.version)[0] || null;
}

export function competencies(framework) {
  return (framework?.domains || []).flatMap((domain) => domain.competencies || []);
}

/** Whether `employment` lets its employer assess the graduate for `period`. */
export function assessable(employment, period) {
  const started = Number(employment.start_date.slice(0, 4)) <= period;
  const notEnded = !employment.end_date || Number(employment.end_date.slice(0, 4)) >= period;
  return COUNTING.includes(employment.state) && started && notEnded;
}

export function activeFor(ws, graduateId, period) {
  return ws.assessments.find((a) => a.graduate_id === graduateId && a.period === period && a.status === "active") || null;
}

function latestOf(ws, graduateId) {
  const own = ws.assessments.filter((a) => a.graduate_id === graduateId);
  own.sort((a, b) => b.period - a.period || b.updated_at.localeCompare(a.updated_at));
  return own.find((a) => a.period === own[0].period && a.status === "active") || own[0] || null;
}

/** The employees the employer may assess for `period` and has not assessed yet. */
export function pendingFor(ws, period) {
  const graduates = new Set(ws.employments.filter((e) => assessable(e, period)).map((e) => e.graduate_id));
  return [...graduates].filter((id) => !activeFor(ws, id, period)).sort((a, b) => employeeName(ws, a).localeCompare(employeeName(ws, b)));
}

export function assessHref(graduateId, period) {
  return `#/employer/assess/${encodeURIComponent(graduateId)}?period=${period}`;
}

function hasDraft(ws, graduateId, period) {
  return Boolean(readDraft(draftKey(ws.employerId, graduateId, period)));
}

/** The title, the workspace's sections and its year: on every workspace page. */
export function workspaceHeader(ws, { active, period, ctx }) {
  const tabs = [
    ["employees", `#/employer?period=${period}`, "employer.tab_employees"],
    ["table", `#/employer/table?period=${period}`, "employer.tab_table"],
    ["requirements", `#/employer/requirements?period=${period}`, "employer.tab_requirements"],
  ];
  const select = h(
    "select",
    { id: "employer-period", on: { change: (event) => ctx.navigate(`${window.location.hash.split("?")[0]}?period=${event.target.value}`) } },
    periods().map((year) => h("option", { value: year, selected: year === period }, year)),
  );
  return h(
    "div",
    { class: "workspace-header" },
    pageTitle(t("employer.title"), ws.employerName),
    h("nav", { class: "workspace-tabs", "aria-label": t("employer.sections") },
      tabs.map(([name, href, key]) => h("a", { href, class: name === active ? "active" : null, "aria-current": name === active ? "page" : null, "data-tab": name }, t(key)))),
    h("label", { class: "control workspace-period", for: "employer-period" }, t("employer.period")),
    select,
  );
}

/** The message a change left for the page it leads to (shown once, and focused). */
export function flash(ctx) {
  if (!ctx.flash) return null;
  const note = h("p", { class: "flash", role: "status", tabindex: "-1" }, ctx.flash);
  ctx.flash = null;
  window.setTimeout(() => note.focus(), 0);
  return note;
}

export async function employerView(params, ctx) {
  if (!isEmployer()) return notEmployer();
  const period = chosenPeriod(params);
  const [ws, subscription] = await Promise.all([loadWorkspace(), get("/reminders/subscription")]);
  return [
    h("div", { class: "employer-workspace" },
      workspaceHeader(ws, { active: "employees", period, ctx }),
      flash(ctx),
      remindersPanel(ws, period),
      mailPanel(subscription, ctx),
      employeesPanel(ws, period),
      claimPanel(ws, ctx),
      codePanel(ctx)),
  ];
}

function remindersPanel(ws, period) {
  const pending = pendingFor(ws, period);
  const body = pending.length
    ? h("ul", { class: "pending" }, pending.map((id) => h("li", { "data-graduate": id },
      h("a", { href: assessHref(id, period) }, employeeName(ws, id)),
      hasDraft(ws, id, period) ? h("span", { class: "draft-tag" }, t("employer.draft_here")) : null)))
    : message(t("employer.nothing_pending", { period }), "message empty");
  return panel(t("employer.pending_title", { period }), [h("p", { class: "explain" }, t("employer.pending_explain", { period })), body], { className: "reminders-panel" });
}

function assessmentStatus(ws, graduateId, period) {
  const latest = latestOf(ws, graduateId);
  const text = !latest
    ? t("employer.not_assessed")
    : latest.status === "active"
      ? t("employer.submitted_in", { period: latest.period, revision: latest.revision })
      : t("employer.withdrawn_in", { period: latest.period });
  return h("td", { class: "assessment-status", "data-status": latest ? latest.status : "none", "data-label": t("employer.latest") }, text,
    hasDraft(ws, graduateId, period) ? h("span", { class: "draft-tag" }, t("employer.draft_here")) : null);
}

function action(ws, employment, period) {
  if (assessable(employment, period)) {
    const key = activeFor(ws, employment.graduate_id, period) ? "employer.open" : "employer.assess";
    return h("a", { href: assessHref(employment.graduate_id, period) }, t(key, { period }));
  }
  return h("span", { class: "note" }, t(COUNTING.includes(employment.state) ? "employer.not_in_period" : `employer.why.${employment.state}`, { period }));
}

function employeesPanel(ws, period) {
  if (!ws.employments.length) return panel(t("employer.employees"), [message(t("employer.no_employees"), "message empty")], { className: "employees-panel" });
  const groups = STATES.map((state) => {
    const rows = ws.employments.filter((e) => e.state === state);
    if (!rows.length) return null;
    rows.sort((a, b) => employeeName(ws, a.graduate_id).localeCompare(employeeName(ws, b.graduate_id)));
    const headingId = uid("state");
    return h("section", { class: "state-group", "data-state": state, "aria-labelledby": headingId },
      h("h3", { id: headingId }, `${t(`employment_state.${state}`)} (${rows.length})`),
      h("div", { class: "table-wrap" }, h("table", { class: "employees" },
        h("thead", {}, h("tr", {}, ["employer.employee", "employer.position", "employer.dates", "employer.latest", "employer.action"].map((key) => h("th", { scope: "col" }, t(key))))),
        h("tbody", {}, rows.map((e) => h("tr", { "data-graduate": e.graduate_id, "data-employment": e.id },
          h("th", { scope: "row" }, employeeName(ws, e.graduate_id)),
          h("td", { "data-label": t("employer.position") }, e.position),
          h("td", { class: "dates", "data-label": t("employer.dates") }, `${e.start_date} – ${e.end_date || "…"}`),
          assessmentStatus(ws, e.graduate_id, period),
          h("td", { "data-label": t("employer.action") }, action(ws, e, period))))))));
  });
  return panel(t("employer.employees"), [h("p", { class: "explain" }, t("employer.employees_explain")), groups], { className: "employees-panel" });
}

function input(attrs = {}) {
  return h("input", { type: "text", ...attrs });
}

/** Form values, empty ones left out (the API names what is missing). */
function filled(entries) {
  return Object.fromEntries(entries.filter(([, value]) => value !== "" && value !== null));
}

function claimPanel(ws, ctx) {
  const controls = {
    graduate_id: input({ autocomplete: "off", spellcheck: "false" }),
    start_date: input({ type: "date" }),
    end_date: input({ type: "date" }),
    position: input({ autocomplete: "organization-title" }),
    isco_code: input({ inputmode: "numeric", maxlength: 4 }),
    in_field: h("input", { type: "checkbox", id: uid() }),
  };
  const button = h("button", { type: "submit", class: "primary" }, t("employer.claim_submit"));
  const key = newKey();
  const form = h("form", { id: "claim-form", class: "workspace-form", novalidate: true },
    field({ name: "graduate_id", label: t("employer.graduate_id"), control: controls.graduate_id, hint: t("employer.graduate_id_hint") }),
    h("div", { class: "field-row" },
      field({ name: "start_date", label: t("employer.start_date"), control: controls.start_date }),
      field({ name: "end_date", label: t("employer.end_date"), control: controls.end_date, hint: t("employer.end_date_hint") })),
    field({ name: "position", label: t("employer.position"), control: controls.position }),
    field({ name: "isco_code", label: t("employer.isco_code"), control: controls.isco_code, hint: t("employer.isco_hint") }),
    h("div", { class: "field checkbox", "data-field": "in_field" },
      controls.in_field, h("label", { for: controls.in_field.id }, t("employer.in_field")), h("p", { class: "field-error", hidden: true })),
    formProblem(),
    button);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submitOnce(form, button, async () => {
      const body = filled([
        ["graduate_id", controls.graduate_id.value.trim()],
        ["employer_id", ws.employerId],
        ["start_date", controls.start_date.value],
        ["end_date", controls.end_date.value],
        ["position", controls.position.value.trim()],
        ["isco_code", controls.isco_code.value.trim()],
        ["in_field", controls.in_field.checked],
      ]);
      await send("POST", "/employments", body, { key });
      forgetWorkspace();
      ctx.flash = t("employer.claimed");
      ctx.refresh();
    });
  });
  // A match found by national identifier is the graduate the form claims.
  const lookup = lookupSection((graduateId) => {
    controls.graduate_id.value = graduateId;
  });
  return panel(t("employer.claim_title"), [h("p", { class: "explain" }, t("employer.claim_explain")), ...lookup, form], { className: "claim-panel" });
}

function codePanel(ctx) {
  const code = input({ autocomplete: "one-time-code", spellcheck: "false" });
  const button = h("button", { type: "submit" }, t("employer.code_submit"));
  const form = h("form", { id: "code-form", class: "workspace-form", novalidate: true },
    field({ name: "code", label: t("employer.code"), control: code }), formProblem(), button);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submitOnce(form, button, async () => {
      const confirmed = await send("POST", "/employments/confirmations", filled([["code", code.value.trim()]]));
      forgetWorkspace();
      ctx.flash = t("employer.code_confirmed", { date: formatDateTime(confirmed.updated_at) });
      ctx.refresh();
    });
  });
  return panel(t("employer.code_title"), [h("p", { class: "explain" }, t("employer.code_explain")), form], { className: "code-panel" });
}

// Each language named in itself, as the header's switch does.
const ENDONYMS = { uz: "Oʻzbekcha", ru: "Русский", en: "English" };

/** E-mail reminders (docs/reminders.md): where, in which language, on or off. The institution's
 * confirmations page shows it too, with its own `explain` (what its reminders are of). */
export function mailPanel(subscription, ctx, explain = "employer.mail_explain") {
  const email = input({ type: "email", autocomplete: "email", value: subscription.email || "" });
  const chosen = subscription.language || language();
  const lang = h("select", {}, LANGUAGES.map((code) => h("option", { value: code, lang: code, selected: code === chosen }, ENDONYMS[code])));
  const enabled = h("input", { type: "checkbox", id: uid(), checked: subscription.email ? subscription.enabled : true });
  const button = h("button", { type: "submit" }, t("employer.mail_save"));
  const form = h("form", { id: "mail-form", class: "workspace-form", novalidate: true },
    field({ name: "email", label: t("employer.mail_address"), control: email }),
    field({ name: "language", label: t("employer.mail_language"), control: lang }),
    h("div", { class: "field checkbox", "data-field": "enabled" },
      enabled, h("label", { for: enabled.id }, t("employer.mail_enabled")), h("p", { class: "field-error", hidden: true })),
    formProblem(),
    button);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submitOnce(form, button, async () => {
      await send("PUT", "/reminders/subscription", { email: email.value.trim(), language: lang.value, enabled: enabled.checked });
      forget("/reminders");
      ctx.flash = t(enabled.checked ? "employer.mail_saved" : "employer.mail_paused");
      ctx.refresh();
    });
  });
  return panel(t("employer.mail_title"), [h("p", { class: "explain" }, t(explain)), form], { className: "mail-panel" });
}
