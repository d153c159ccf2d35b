// The coordinator's strategy goals (#/workspace/cluster/<id>/goals[?edit=<goal>]): each goal as
// it stands with its earlier versions and its progress (the quality service's latest published
// figure against the target), setting a new goal (POST) and revising one (PUT: its next
// version; the earlier ones are kept). Refusals are shown beside the field they name.

import { forget, get, getAll, newKey, optional, send } from "./api.js";
import { figureText, formatValue, h, message, panel } from "./components.js";
import { coordHeader, loadCluster, notCoordinator } from "./coord_workspace.js";
import { flash } from "./employer.js";
import { field, formProblem, submitOnce, uid } from "./forms.js";
import { formatDateTime, formatNumber, t, translateReason } from "./i18n.js";

// What a goal may aim at (the registry's GOAL_INDICATORS and GOAL_ACTIVITY_MEASURES).
const INDICATORS = ["index", "employer_satisfaction", "preparedness", "would_hire_again", "competency_mean", "employed_12m",
  "outcome_known", "graduate_level", "employed_in_field", "employer_marked_in_field", "coverage"];
const MEASURES = ["internship_places_per_graduate", "internship_places_filled", "staff_trained", "guest_teaching_hours", "funding_amount"];
const LEVELS = ["0", "1", "2", "3", "4", "5", "6", "7", "8"];

export async function goalsView(params, ctx) {
  const ws = await loadCluster(params.id);
  if (!ws.cluster) return notCoordinator(ws.clusters);
  const encoded = encodeURIComponent(ws.cluster.id);
  const [goals, progress] = await Promise.all([
    getAll(`/clusters/${encoded}/goals`),
    optional(get(`/quality/clusters/${encoded}/goals/progress`), null),
  ]);
  const versions = await Promise.all(goals.map((g) => getAll(`/clusters/${encoded}/goals/${encodeURIComponent(g.id)}/versions`)));
  const editing = goals.find((g) => g.id === params.edit) || null;
  return h("div", { class: "coord-workspace", "data-cluster": ws.cluster.id },
    coordHeader(ws, { active: "goals", ctx }),
    flash(ctx),
    listPanel(ws, goals, versions, progress),
    formPanel(ws, editing, ctx));
}

function goalName(goal) {
  const name = t(goal.measure === "indicator" ? `indicator.${goal.code}` : `measure.${goal.code}`);
  const scope = [goal.field_code, goal.level && `ISCED ${goal.level}`].filter(Boolean).join(", ");
  return scope ? `${name} (${scope})` : name;
}

function target(goal) {
  return `${t(`comparator.${goal.comparator}`)} ${formatValue(goal.code, Number(goal.target))}`;
}

function progressCell(goal, item) {
  if (!item) return h("td", { class: "goal-status pending" }, t("coord_ws.progress_pending"));
  const shown = item.figure && item.figure.value !== null
    ? [figureText(goal.code, { ...item.figure, suppressed: false }), item.figure.n !== null ? ` · n = ${formatNumber(item.figure.n)}` : "", item.period ? ` · ${item.period}` : ""]
    : "—";
  return h("td", { class: `goal-status ${item.status}`, "data-status": item.status, "data-version": item.version },
    t(`goal_status.${item.status}`),
    item.reason ? h("span", { class: "reason" }, ` — ${translateReason(item.reason)}`) : null,
    h("br"), h("span", { class: "figure" }, shown),
    item.version !== goal.version ? h("span", { class: "note" }, ` (${t("coord_ws.progress_of_version", { version: item.version })})`) : null);
}

function versionList(list) {
  return h("details", { class: "goal-versions" },
    h("summary", {}, t("coord_ws.versions", { count: list.length })),
    h("ol", {}, list.map((v) => h("li", { "data-version": v.version },
      [t("coord_ws.version", { version: v.version }), goalName(v), `${target(v)} · ${v.by_year}`,
        v.active ? null : t("coord_ws.retired"), formatDateTime(v.updated_at)].filter(Boolean).join(" · ")))));
}

function listPanel(ws, goals, versions, progress) {
  if (!goals.length) return panel(t("coord_ws.goals"), [message(t("coord_ws.no_goals"), "message empty")], { className: "coord-goals-panel" });
  const byGoal = new Map((progress?.goals || []).map((item) => [item.goal_id, item]));
  const base = `#/workspace/cluster/${encodeURIComponent(ws.cluster.id)}/goals`;
  const headings = ["coord_ws.goal", "coord_ws.target", "coord_ws.by_year", "coord_ws.progress", "coord_ws.history", "coord_ws.action"];
  const rows = goals.map((goal, i) => h("tr", { "data-goal": goal.id, "data-version": goal.version, class: goal.active ? null : "retired" },
    h("th", { scope: "row" }, goalName(goal), goal.active ? null : h("span", { class: "note" }, ` · ${t("coord_ws.retired")}`)),
    h("td", { class: "target" }, target(goal)),
    h("td", { class: "num" }, goal.by_year),
    goal.active ? progressCell(goal, byGoal.get(goal.id)) : h("td", {}, "—"),
    h("td", {}, versionList(versions[i])),
    h("td", {}, h("a", { href: `${base}?edit=${encodeURIComponent(goal.id)}` }, t("coord_ws.revise")))));
  return panel(t("coord_ws.goals"), [
    h("p", { class: "explain" }, t("coord_ws.goals_explain")),
    h("div", { class: "table-wrap" }, h("table", { class: "coord-goals" },
      h("thead", {}, h("tr", {}, headings.map((key) => h("th", { scope: "col" }, t(key))))),
      h("tbody", {}, rows))),
  ], { className: "coord-goals-panel" });
}

function option(value, label, chosen) {
  return h("option", { value, selected: value === chosen }, label);
}

function formPanel(ws, editing, ctx) {
  const chosen = editing ? `${editing.measure}:${editing.code}` : "";
  const what = h("select", {},
    option("", t("coord_ws.choose"), chosen),
    h("optgroup", { label: t("coord_ws.indicators") }, INDICATORS.map((c) => option(`indicator:${c}`, t(`indicator.${c}`), chosen))),
    h("optgroup", { label: t("coord_ws.measures") }, MEASURES.map((c) => option(`activity:${c}`, t(`measure.${c}`), chosen))));
  const fieldCode = h("input", { type: "text", inputmode: "numeric", maxlength: 4, value: editing?.field_code || "" });
  const level = h("select", {}, option("", t("coord_ws.any_level"), editing?.level || ""), LEVELS.map((l) => option(l, `ISCED ${l}`, editing?.level || "")));
  const comparator = h("select", {}, ["at_least", "at_most"].map((c) => option(c, t(`comparator.${c}`), editing?.comparator || "at_least")));
  const goalTarget = h("input", { type: "text", inputmode: "decimal", value: editing ? String(Number(editing.target)) : "" });
  const byYear = h("input", { type: "text", inputmode: "numeric", maxlength: 4, value: editing?.by_year ?? "" });
  const active = h("input", { type: "checkbox", id: uid(), checked: editing ? editing.active : true });
  const button = h("button", { type: "submit", class: "primary", id: "goal-submit" }, t(editing ? "coord_ws.revise_submit" : "coord_ws.goal_submit"));
  const list = `#/workspace/cluster/${encodeURIComponent(ws.cluster.id)}/goals`;
  const form = h("form", { id: "goal-form", class: "workspace-form", novalidate: true, "data-goal": editing?.id },
    field({ name: "code", label: t("coord_ws.goal_what"), control: what }),
    h("div", { class: "field-row" },
      field({ name: "field_code", label: t("coord_ws.field_code"), control: fieldCode, hint: t("coord_ws.goal_field_hint") }),
      field({ name: "level", label: t("coord_ws.level"), control: level })),
    h("div", { class: "field-row" },
      field({ name: "comparator", label: t("coord_ws.comparator"), control: comparator }),
      field({ name: "target", label: t("coord_ws.target"), control: goalTarget, hint: t("coord_ws.target_hint") }),
      field({ name: "by_year", label: t("coord_ws.by_year"), control: byYear })),
    editing ? h("div", { class: "field checkbox", "data-field": "active" },
      active, h("label", { for: active.id }, t("coord_ws.active")), h("p", { class: "field-error", hidden: true })) : null,
    formProblem(),
    h("div", { class: "buttons" }, button, editing ? h("a", { href: list, class: "coord-cancel" }, t("coord_ws.cancel")) : null));
  const key = newKey();
  const encoded = encodeURIComponent(ws.cluster.id);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submitOnce(form, button, async () => {
      // Nothing chosen: only the code is missing (the API names it beside this select).
      const [measure, code] = what.value ? what.value.split(":") : ["indicator", undefined];
      const year = byYear.value.trim();
      const body = { measure, code, comparator: comparator.value, target: goalTarget.value.trim() || undefined,
        by_year: /^\d+$/.test(year) ? Number(year) : year || undefined, active: active.checked };
      if (fieldCode.value.trim()) body.field_code = fieldCode.value.trim();
      if (level.value) body.level = level.value;
      const saved = editing
        ? await send("PUT", `/clusters/${encoded}/goals/${encodeURIComponent(editing.id)}`, body)
        : await send("POST", `/clusters/${encoded}/goals`, body, { key });
      forget(`/clusters/${encoded}/goals`, `/quality/clusters/${encoded}`);
      ctx.flash = t("coord_ws.goal_saved", { version: saved.version });
      if (editing) ctx.navigate(list);
      else ctx.refresh();
    });
  });
  const title = editing ? t("coord_ws.revise_title", { goal: goalName(editing) }) : t("coord_ws.goal_title");
  return panel(title, [h("p", { class: "explain" }, t(editing ? "coord_ws.revise_explain" : "coord_ws.goal_explain")), form], { className: "coord-goal-form-panel" });
}
