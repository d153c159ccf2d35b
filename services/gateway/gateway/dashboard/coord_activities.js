// The coordinator's activities (#/workspace/cluster/<id>/activities[?edit=<activity>]): the
// cluster's activities, recording a new one (POST, with an Idempotency-Key) and changing one's
// title, status, end date or outcome (PATCH). The outcome's form follows its kind (the API's
// five outcome bodies: placements for internships and apprenticeships, staff development, a
// joint program, guest teaching, funding); every refusal is shown beside the field it names.

import { forget, getAll, names, newKey, send } from "./api.js";
import { h, message, panel } from "./components.js";
import { coordHeader, loadCluster, notCoordinator, orgKind, orgName } from "./coord_workspace.js";
import { flash } from "./employer.js";
import { field, formProblem, submitOnce, uid } from "./forms.js";
import { t } from "./i18n.js";

const KINDS = ["internship", "apprenticeship", "staff_development", "joint_program", "guest_teaching", "funding"];
const STATUSES = ["planned", "running", "completed", "cancelled"];
// Where each status may lead (the registry's rule; a completed or cancelled activity is final).
const MOVES = { planned: ["running", "cancelled"], running: ["completed", "cancelled"], completed: [], cancelled: [] };

export async function activitiesView(params, ctx) {
  const ws = await loadCluster(params.id);
  if (!ws.cluster) return notCoordinator(ws.clusters);
  const activities = await getAll(`/clusters/${encodeURIComponent(ws.cluster.id)}/activities`);
  const educational = ws.current.filter((m) => orgKind(m.organization_id) === "education");
  const programs = await Promise.all(educational.map((m) => getAll(`/programs?institution_id=${encodeURIComponent(m.organization_id)}`)));
  for (const record of programs.flat()) names.programs.set(record.id, record);
  ws.programs = programs.flat();
  const editing = activities.find((a) => a.id === params.edit) || null;
  return h("div", { class: "coord-workspace", "data-cluster": ws.cluster.id },
    coordHeader(ws, { active: "activities", ctx }),
    flash(ctx),
    listPanel(ws, activities),
    editing ? changePanel(ws, editing, ctx) : recordPanel(ws, ctx));
}

function summary(a) {
  const o = a.outcome;
  if (o.kind === "internship" || o.kind === "apprenticeship") {
    return o.years.map((y) => t("coord_ws.placements_of", { year: y.year, offered: y.places_offered, filled: y.places_filled })).join("; ");
  }
  if (o.kind === "guest_teaching") return o.years.map((y) => t("coord_ws.hours_of", { year: y.year, hours: y.hours })).join("; ");
  if (o.kind === "staff_development") return t("coord_ws.staff_of", { people: o.people, hours: o.hours, topic: o.topic });
  if (o.kind === "joint_program") return o.partners.map((p) => orgName(p.organization_id)).join(", ");
  return `${o.amount} ${o.currency} — ${o.purpose}`;
}

function listPanel(ws, activities) {
  if (!activities.length) return panel(t("coord_ws.activities"), [message(t("coord_ws.no_activities"), "message empty")], { className: "coord-activities-panel" });
  const base = `#/workspace/cluster/${encodeURIComponent(ws.cluster.id)}/activities`;
  const headings = ["coord_ws.activity_title", "coord_ws.kind", "coord_ws.status_label", "coord_ws.dates", "coord_ws.involved", "coord_ws.outcome", "coord_ws.action"];
  const rows = activities.map((a) => h("tr", { "data-activity": a.id, "data-kind": a.kind, "data-status": a.status },
    h("th", { scope: "row" }, a.title),
    h("td", {}, t(`activity.${a.kind}`)),
    h("td", { class: `status ${a.status}` }, t(`activity_status.${a.status}`)),
    h("td", {}, `${a.start_date} – ${a.end_date || "…"}`),
    h("td", {}, a.member_ids.map(orgName).join(", ")),
    h("td", { class: "outcome" }, summary(a)),
    h("td", {}, h("a", { href: `${base}?edit=${encodeURIComponent(a.id)}` }, t("coord_ws.change")))));
  return panel(t("coord_ws.activities"), [
    h("div", { class: "table-wrap" }, h("table", { class: "coord-activities" },
      h("thead", {}, h("tr", {}, headings.map((key) => h("th", { scope: "col" }, t(key))))),
      h("tbody", {}, rows))),
  ], { className: "coord-activities-panel" });
}

const text = (attrs = {}) => h("input", { type: "text", ...attrs });
const number = (value) => text({ inputmode: "numeric", value: value ?? "" });

/** A whole number as a number; anything else as typed (the API names what is wrong with it). */
function count(control) {
  const value = control.value.trim();
  if (!value) return undefined;
  return /^-?\d+$/.test(value) ? Number(value) : value;
}

const typed = (control) => control.value.trim() || undefined;

/** The fields that have a value (the API names those missing). */
function filled(body) {
  return Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined && value !== ""));
}

function select(options, value, { choose = true } = {}) {
  const known = options.some(([v]) => v === value);
  const all = value && !known ? [...options, [value, value]] : options;
  return h("select", {}, choose ? h("option", { value: "" }, t("coord_ws.choose")) : null,
    all.map(([v, label]) => h("option", { value: v, selected: v === value }, label)));
}

/** A list of rows (years, partners) that grows by a button; `keep`: fields of a row it was
 * given that the form does not show, sent back unchanged (the graduates who took part). */
function rowList({ name, titleKey, addKey, columns, initial, keep = [] }) {
  const rows = [];
  const list = h("div", { class: "coord-rows" });
  const add = (values = {}) => {
    const i = rows.length;
    const controls = columns.map((col) => col.make(values[col.name]));
    list.append(h("div", { class: "field-row coord-row", "data-row": i },
      columns.map((col, j) => field({ name: `outcome.${name}.${i}.${col.name}`, label: t(col.label), control: controls[j] }))));
    rows.push({ controls, kept: Object.fromEntries(keep.filter((k) => values[k]?.length).map((k) => [k, values[k]])) });
    return controls[0];
  };
  for (const values of initial?.length ? initial : [{}]) add(values);
  const button = h("button", { type: "button", class: "coord-add" }, t(addKey));
  button.addEventListener("click", () => add().focus());
  const node = h("div", { class: "coord-list", "data-field": `outcome.${name}` },
    h("p", { class: "coord-list-title" }, t(titleKey)), h("p", { class: "field-error", hidden: true }), list, button);
  const read = () => rows.map(({ controls, kept }) => ({ ...kept, ...filled(Object.fromEntries(columns.map((col, j) => [col.name, col.read(controls[j])]))) }));
  return { node, read };
}

const yearColumn = { name: "year", label: "coord_ws.year", make: (v) => number(v ?? new Date().getFullYear()), read: count };
const countColumn = (name, label) => ({ name, label, make: (v) => number(v), read: count });

/** The outcome's fields for `kind`, filled from `initial`: { node, read() → the outcome }. */
function outcomeFields(kind, { ws, candidates, initial = {} }) {
  const orgs = (kinds) => candidates.filter((id) => !kinds || !orgKind(id) || kinds.includes(orgKind(id))).map((id) => [id, orgName(id)]);
  const programs = ws.programs.map((p) => [p.id, `${p.code} ${p.name} (${orgName(p.institution_id)})`]);
  const parts = [];
  const values = {};
  const add = (name, label, control, read = typed, hint) => {
    parts.push(field({ name: `outcome.${name}`, label: t(label), control, hint }));
    values[name] = () => read(control);
  };
  const lists = {};
  const list = (spec) => {
    lists[spec.name] = rowList({ ...spec, initial: initial[spec.name] });
    parts.push(lists[spec.name].node);
  };
  if (kind === "internship" || kind === "apprenticeship" || kind === "guest_teaching") {
    add("employer_id", "coord_ws.employer", select(orgs(["employer"]), initial.employer_id));
    add("program_id", "coord_ws.program", select(programs, initial.program_id));
    const columns = kind === "guest_teaching"
      ? [yearColumn, countColumn("hours", "coord_ws.hours")]
      : [yearColumn, countColumn("places_offered", "coord_ws.offered"), countColumn("places_filled", "coord_ws.filled")];
    list({ name: "years", titleKey: "coord_ws.years", addKey: "coord_ws.add_year", columns, keep: ["graduate_ids"] });
  } else if (kind === "staff_development") {
    add("institution_id", "coord_ws.institution", select(orgs(["education"]), initial.institution_id));
    add("trainer_id", "coord_ws.trainer", select(orgs(["research", "employer"]), initial.trainer_id));
    add("people", "coord_ws.people", number(initial.people), count);
    add("hours", "coord_ws.hours_each", number(initial.hours), count);
    add("topic", "coord_ws.topic", text({ value: initial.topic || "" }));
    add("field_code", "coord_ws.field_code", text({ inputmode: "numeric", maxlength: 8, value: initial.field_code || "" }), typed, t("coord_ws.field_code_hint"));
  } else if (kind === "joint_program") {
    add("program_id", "coord_ws.program", select(programs, initial.program_id));
    list({ name: "partners", titleKey: "coord_ws.partners", addKey: "coord_ws.add_partner", columns: [
      { name: "organization_id", label: "coord_ws.partner", make: (v) => select(orgs(null), v), read: typed },
      { name: "contribution", label: "coord_ws.contribution", make: (v) => text({ value: v || "" }), read: typed },
    ] });
  } else {
    const forms = ["funding", "equipment", "facilities"].map((f) => [f, t(`coord_ws.form.${f}`)]);
    add("form", "coord_ws.funding_form", select(forms, initial.form || "funding", { choose: false }));
    add("partner_id", "coord_ws.funder", select(orgs(["private", "employer"]), initial.partner_id));
    add("recipient_id", "coord_ws.recipient", select(orgs(null), initial.recipient_id));
    add("amount", "coord_ws.amount", text({ inputmode: "decimal", value: initial.amount ?? "" }));
    add("currency", "coord_ws.currency", text({ maxlength: 8, value: initial.currency || "UZS" }), typed, t("coord_ws.currency_hint"));
    add("purpose", "coord_ws.purpose", text({ value: initial.purpose || "" }));
  }
  const read = () => ({
    kind,
    ...filled(Object.fromEntries(Object.entries(values).map(([name, get]) => [name, get()]))),
    ...Object.fromEntries(Object.entries(lists).map(([name, l]) => [name, l.read()])),
  });
  return { node: h("div", { class: "coord-outcome", "data-field": "outcome" }, h("p", { class: "field-error", hidden: true }), parts), read };
}

function membersField(ws) {
  const boxes = ws.current.map((m) => {
    const id = uid("member");
    return h("span", { class: "option" },
      h("input", { type: "checkbox", id, value: m.organization_id, name: "member_ids" }),
      h("label", { for: id }, `${orgName(m.organization_id)} (${t(`role.${m.role}`)})`));
  });
  return h("fieldset", { class: "choices coord-involved", "data-field": "member_ids" },
    h("legend", {}, t("coord_ws.involved")),
    h("p", { class: "description" }, t("coord_ws.involved_hint")),
    h("p", { class: "field-error", hidden: true }),
    h("div", { class: "options" }, boxes));
}

function recordPanel(ws, ctx) {
  if (ws.cluster.status === "closed") return panel(t("coord_ws.record_title"), [message(t("coord_ws.closed"), "message empty")]);
  const title = text({ autocomplete: "off" });
  const kind = select(KINDS.map((k) => [k, t(`activity.${k}`)]), "internship", { choose: false });
  const status = select(STATUSES.map((s) => [s, t(`activity_status.${s}`)]), "planned", { choose: false });
  const start = text({ type: "date" });
  const end = text({ type: "date" });
  const members = membersField(ws);
  const candidates = ws.current.map((m) => m.organization_id);
  let outcome = outcomeFields(kind.value, { ws, candidates });
  const slot = h("div", { class: "coord-outcome-slot" }, outcome.node);
  kind.addEventListener("change", () => {
    outcome = outcomeFields(kind.value, { ws, candidates });
    slot.replaceChildren(outcome.node);
  });
  const button = h("button", { type: "submit", class: "primary", id: "activity-submit" }, t("coord_ws.record_submit"));
  const form = h("form", { id: "activity-form", class: "workspace-form", novalidate: true },
    field({ name: "title", label: t("coord_ws.activity_title"), control: title }),
    h("div", { class: "field-row" },
      field({ name: "outcome.kind", label: t("coord_ws.kind"), control: kind }),
      field({ name: "status", label: t("coord_ws.status_label"), control: status })),
    h("div", { class: "field-row" },
      field({ name: "start_date", label: t("coord_ws.start_date"), control: start }),
      field({ name: "end_date", label: t("coord_ws.end_date"), control: end, hint: t("coord_ws.end_date_hint") })),
    members,
    h("fieldset", { class: "domain" }, h("legend", {}, t("coord_ws.outcome")), slot),
    formProblem(),
    button);
  const key = newKey();
  const encoded = encodeURIComponent(ws.cluster.id);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submitOnce(form, button, async () => {
      const body = filled({
        title: title.value.trim(),
        status: status.value,
        start_date: start.value,
        end_date: end.value,
        member_ids: [...members.querySelectorAll("input:checked")].map((box) => box.value),
        outcome: outcome.read(),
      });
      const saved = await send("POST", `/clusters/${encoded}/activities`, body, { key });
      forget(`/clusters/${encoded}/activities`, `/quality/clusters/${encoded}`);
      ctx.flash = t("coord_ws.recorded", { title: saved.title });
      ctx.refresh();
    });
  });
  return panel(t("coord_ws.record_title"), [h("p", { class: "explain" }, t("coord_ws.record_explain")), form], { className: "coord-record-panel" });
}

function changePanel(ws, activity, ctx) {
  const title = text({ value: activity.title });
  const moves = [activity.status, ...MOVES[activity.status]];
  const status = select(moves.map((s) => [s, t(`activity_status.${s}`)]), activity.status, { choose: false });
  const end = text({ type: "date", value: activity.end_date || "" });
  const candidates = [...new Set([...ws.current.map((m) => m.organization_id), ...activity.member_ids])];
  const outcome = outcomeFields(activity.kind, { ws, candidates, initial: activity.outcome });
  const button = h("button", { type: "submit", class: "primary", id: "activity-change-submit" }, t("coord_ws.change_submit"));
  const list = `#/workspace/cluster/${encodeURIComponent(ws.cluster.id)}/activities`;
  const form = h("form", { id: "activity-change-form", class: "workspace-form", novalidate: true, "data-activity": activity.id },
    h("p", { class: "explain" }, `${t(`activity.${activity.kind}`)} · ${activity.start_date} · ${activity.member_ids.map(orgName).join(", ")}`),
    field({ name: "title", label: t("coord_ws.activity_title"), control: title }),
    h("div", { class: "field-row" },
      field({ name: "status", label: t("coord_ws.status_label"), control: status, hint: t("coord_ws.status_hint") }),
      field({ name: "end_date", label: t("coord_ws.end_date"), control: end, hint: t("coord_ws.end_date_hint") })),
    h("fieldset", { class: "domain" }, h("legend", {}, t("coord_ws.outcome")), outcome.node),
    formProblem(),
    h("div", { class: "buttons" }, button, h("a", { href: list, class: "coord-cancel" }, t("coord_ws.cancel"))));
  const encoded = encodeURIComponent(ws.cluster.id);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submitOnce(form, button, async () => {
      const body = { title: title.value.trim(), status: status.value, end_date: end.value || null, outcome: outcome.read() };
      const path = `/clusters/${encoded}/activities/${encodeURIComponent(activity.id)}`;
      const saved = await send("PATCH", path, body);
      forget(`/clusters/${encoded}/activities`, `/quality/clusters/${encoded}`);
      ctx.flash = t("coord_ws.changed", { title: saved.title });
      ctx.navigate(list);
    });
  });
  return panel(t("coord_ws.change_title", { title: activity.title }), [form], { className: "coord-change-panel" });
}
