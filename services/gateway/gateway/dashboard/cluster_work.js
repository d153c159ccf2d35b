// A cluster's work on its page: activities (registry), strategy goals and their progress,
// activity intensity, where its graduates work, and the activities against quality change.
// Only the ministry, the region's authority and the cluster's members read these: for anyone
// else each panel says so instead of failing the page.

import { get, getAll, optional, session } from "./api.js";
import { miniInterval } from "./charts.js";
import { figureText, formatValue, h, message, panel, suppressedNote } from "./components.js";
import { formatDateTime, formatNumber, formatPercent, t, translateReason } from "./i18n.js";

const FORBIDDEN = Symbol("forbidden");

/** Everything the panels read, each null when the reader may not see it. */
export async function loadClusterWork(id, ctx) {
  if (!session.token) return null;
  const encoded = encodeURIComponent(id);
  const quality = `/quality/clusters/${encoded}`;
  const [activities, goals, intensity, flows, effect] = await Promise.all([
    optional(getAll(`/clusters/${encoded}/activities`), FORBIDDEN),
    optional(get(`${quality}/goals/progress`), FORBIDDEN),
    optional(get(`${quality}/activities/intensity`), FORBIDDEN),
    optional(get(`${quality}/flows?cohort=${ctx.period - 1}`), FORBIDDEN),
    optional(get(`${quality}/activities/effect?kind=internship`), FORBIDDEN),
  ]);
  return { activities, goals, intensity, flows, effect };
}

export function clusterWorkPanels(work) {
  if (!work) return [];
  return [
    guarded(work.activities, "work.activities", activitiesPanel),
    guarded(work.goals, "goals.title", goalsPanel),
    guarded(work.intensity, "intensity.title", intensityPanel),
    guarded(work.flows, "flows.title", flowsPanel),
    guarded(work.effect, "effect.title", effectPanel),
  ];
}

function guarded(answer, titleKey, render) {
  if (answer === FORBIDDEN) return panel(t(titleKey), [message(t("auth.forbidden"))]);
  return render(answer);
}

function table(className, headings, rows) {
  return h("div", { class: "table-wrap" }, h("table", { class: className },
    h("thead", {}, h("tr", {}, headings.map(([key, num]) => h("th", { class: num ? "num" : "" }, t(key))))),
    h("tbody", {}, rows)));
}

function activitiesPanel(activities) {
  const body = activities.length
    ? table("activities", [["work.title"], ["work.kind"], ["work.status"], ["work.dates"]], activities.map((a) =>
      h("tr", { "data-id": a.id, "data-kind": a.kind },
        h("td", {}, a.title),
        h("td", {}, t(`activity.${a.kind}`)),
        h("td", { class: `status ${a.status}` }, t(`activity_status.${a.status}`)),
        h("td", {}, `${a.start_date} – ${a.end_date || "…"}`))))
    : message(t("work.no_activities"), "message empty");
  return panel(t("work.activities"), [body], { className: "activities-panel" });
}

function goalName(goal) {
  const name = goal.measure === "indicator" ? t(`indicator.${goal.code}`) : t(`measure.${goal.code}`);
  const scope = [goal.field_code, goal.level && `ISCED ${goal.level}`].filter(Boolean).join(", ");
  return scope ? `${name} (${scope})` : name;
}

function goalsPanel(progress) {
  if (!progress.goals.length) return panel(t("goals.title"), [message(t("goals.none"), "message empty")]);
  const rows = progress.goals.map((goal) => {
    const figure = goal.figure;
    const shown = figure && figure.value !== null
      ? [figureText(goal.code, { ...figure, suppressed: false }), figure.n !== null ? ` · n = ${formatNumber(figure.n)}` : "",
        goal.period ? ` · ${goal.period}` : ""]
      : "—";
    return h("tr", { "data-goal": goal.goal_id, "data-status": goal.status },
      h("td", {}, goalName(goal)),
      h("td", {}, `${t(`comparator.${goal.comparator}`)} ${formatValue(goal.code, Number(goal.target))}`),
      h("td", { class: "num" }, goal.by_year),
      h("td", {}, shown),
      h("td", { class: `goal-status ${goal.status}` }, t(`goal_status.${goal.status}`),
        goal.reason ? h("span", { class: "reason" }, ` — ${translateReason(goal.reason)}`) : null));
  });
  return panel(t("goals.title"), [
    table("goals", [["goals.goal"], ["goals.target"], ["goals.by", true], ["goals.figure"], ["goals.status"]], rows),
  ], { className: "goals-panel" });
}

// "12 / 9 (36.4 / 27.3)": places offered and filled, and per 100 graduates of the year's cohort.
function placements(placement) {
  if (!placement || !placement.offered) return "—";
  const counts = `${formatNumber(placement.offered)} / ${formatNumber(placement.filled)}`;
  if (placement.offered_per_100 === null) return `${counts} (—)`;
  return `${counts} (${formatNumber(placement.offered_per_100, 1)} / ${formatNumber(placement.filled_per_100, 1)})`;
}

function perProgram(value) {
  return value === null || value === undefined ? "—" : formatNumber(value, 1);
}

// A small cohort's size is not shown (nor its rates per 100): a dash and the reason.
function cohortCell(year) {
  if (year.graduates != null) return h("td", { class: "num" }, formatNumber(year.graduates));
  return h("td", { class: "num suppressed" }, "—", h("span", { class: "reason" }, ` ${translateReason(year.reason)}`));
}

function intensityPanel(intensity) {
  if (!intensity.years.length) return panel(t("intensity.title"), [message(t("intensity.none"), "message empty")]);
  const rows = intensity.years.map((year) => h("tr", { "data-year": year.year },
    h("td", {}, year.year),
    cohortCell(year),
    h("td", { class: "num" }, placements(year.placements.internship)),
    h("td", { class: "num" }, placements(year.placements.apprenticeship)),
    h("td", { class: "num" }, perProgram(year.staff_trained.per_program)),
    h("td", { class: "num" }, perProgram(year.guest_teaching_hours.per_program))));
  const headings = [["intensity.year"], ["intensity.graduates", true], ["intensity.internships", true],
    ["intensity.apprenticeships", true], ["intensity.staff", true], ["intensity.guest", true]];
  return panel(t("intensity.title"), [table("intensity", headings, rows)], { className: "intensity-panel" });
}

// n is null before a cohort's flows are released: shown as a dash, never as 0.
const count = (n) => (n == null ? "—" : formatNumber(n));

function flowsPanel(flows) {
  const level = formatNumber(flows.interval_level * 100);
  const explain = t("flows.explain", { cohort: flows.cohort, date: flows.census_date, n: count(flows.n), level });
  const rows = flows.flows.map((flow) => {
    const label = t(`flow.${flow.flow}`);
    if (flow.suppressed) {
      return h("tr", { class: "suppressed", "data-flow": flow.flow },
        h("td", {}, label), h("td", { colspan: 2 }, suppressedNote(flow.reason)), h("td", { class: "num" }, count(flow.n)));
    }
    const text = figureText("share", flow);
    return h("tr", { "data-flow": flow.flow },
      h("td", {}, label),
      h("td", { class: "figure" }, text),
      h("td", {}, miniInterval({ value: flow.value, low: flow.ci_low, high: flow.ci_high, domain: [0, 1], title: `${label}: ${text}` })),
      h("td", { class: "num" }, count(flow.n)));
  });
  const sectors = flows.sectors.length ? h("p", { class: "note" }, t("flows.sectors", { sectors: flows.sectors.join(", ") })) : null;
  return panel(t("flows.title"), [
    h("p", { class: "explain" }, explain),
    table("flows", [["flows.flow"], ["flows.share"], ["flows.interval"], ["table.n", true]], rows),
    sectors,
    flows.publication ? h("p", { class: "note publication" }, t("flows.publication", {
      number: flows.publication.number, release: t(`flows.release.${flows.publication.release}`) })) : null,
    flows.released_at ? h("p", { class: "note released" }, t("flows.released", { at: formatDateTime(flows.released_at) })) : null,
  ], { className: "flows-panel" });
}

// The service states its assumptions in English; the page knows them in every language.
const ASSUMPTIONS = [
  [/^parallel trends/, "assumption.parallel_trends"],
  [/^no anticipation/, "assumption.no_anticipation"],
  [/^the comparable programs took part in no activity/, "assumption.clean_controls"],
  [/^an association, not proof/, "assumption.association"],
];

function translateAssumption(text) {
  const known = ASSUMPTIONS.find(([pattern]) => pattern.test(text));
  return known ? t(known[1]) : text;
}

function change(group) {
  const share = (value) => (value === null || value === undefined ? "—" : formatPercent(value));
  return `${share(group.share_before)} → ${share(group.share_after)} (${formatNumber(group.programs)})`;
}

function effectPanel(effect) {
  const level = formatNumber(effect.interval_level * 100);
  const rows = effect.estimates.map((estimate) => {
    const d = estimate.difference;
    const difference = d.value === null
      ? [t("comparison.withheld"), " — ", translateReason(d.reason)]
      : `${formatPercent(d.value, 1)} (${t("figure.interval", { level })}: ${formatPercent(d.ci_low, 1)} … ${formatPercent(d.ci_high, 1)})`;
    return h("tr", { "data-joined": estimate.joined, "data-figure": estimate.indicator },
      h("td", {}, estimate.joined),
      h("td", {}, t(`indicator.${estimate.indicator}`)),
      h("td", {}, change(estimate.treated)),
      h("td", {}, change(estimate.controls)),
      h("td", { class: "difference" }, difference));
  });
  const body = rows.length
    ? table("effect", [["effect.joined"], ["effect.indicator"], ["effect.treated"], ["effect.controls"], ["effect.difference"]], rows)
    : message(t("effect.none"), "message empty");
  return panel(t("effect.title"), [
    h("p", { class: "explain" }, t("effect.explain")),
    body,
    h("details", { class: "assumptions" }, h("summary", {}, t("effect.assumptions")),
      h("ul", {}, effect.assumptions.map((assumption) => h("li", {}, translateAssumption(assumption))))),
  ], { className: "effect-panel" });
}
