// A cluster: its scorecard, members, members against non-members, competency gaps, and its
// work (cluster_work.js): activities, goals, intensity, graduate flows, the effect comparison.

import { competencyName, get, getAll, history, names, optional, organization, periodQuery, session, unitHref, unitName } from "./api.js";
import { differenceChart, quadrantChart } from "./charts.js";
import { clusterWorkPanels, loadClusterWork } from "./cluster_work.js";
import { h, message, noScores, panel, scorecard, scrollBox, suppressedNote } from "./components.js";
import { formatNumber, formatPercent, localizedName, t, translateReason } from "./i18n.js";

export async function clusterView(params, ctx) {
  const id = params.id;
  const encoded = encodeURIComponent(id);
  const cards = await history("cluster", id, ctx);
  const card = cards.find((c) => c.period === ctx.period) || null;
  const [members, comparison, gaps, work] = await Promise.all([
    session.token ? optional(getAll(`/clusters/${encoded}/members`), null) : null,
    card ? get(`/quality/clusters/${encoded}/comparison?${periodQuery(ctx)}`) : null,
    card ? get(`/quality/cluster/${encoded}/competency-gaps?${periodQuery(ctx)}`) : null,
    loadClusterWork(id, ctx),
  ]);
  if (members) await Promise.all(members.map((member) => organization(member.organization_id)));
  const record = names.clusters.get(id);
  const regionCode = record?.region_code || comparison?.region_code;
  const subtitle = h(
    "p",
    { class: "subtitle" },
    t("scope.cluster"),
    regionCode ? [" · ", h("a", { href: unitHref("region", regionCode) }, localizedName(names.regions.get(regionCode)) || regionCode)] : null,
  );
  const content = [h("div", { class: "page-title" }, h("h1", {}, unitName("cluster", id)), subtitle)];
  if (card) content.push(scorecard(card, ctx));
  content.push(membersPanel(members));
  if (!card) return [...content, noScores(), ...clusterWorkPanels(work)];
  content.push(comparisonPanel(comparison), gapsPanel(gaps), ...clusterWorkPanels(work));
  return content;
}

function membersPanel(members) {
  if (!members) return panel(t("cluster.members"), [message(t("cluster.no_members"))]);
  const rows = members.map((member) => {
    const record = names.organizations.get(member.organization_id);
    const name = record?.name || member.organization_id;
    const href = record?.kind === "education" ? unitHref("organization", member.organization_id) : null;
    return h(
      "tr",
      { "data-id": member.organization_id },
      h("td", {}, href ? h("a", { href }, name) : name),
      h("td", {}, t(`role.${member.role}`)),
      h("td", {}, member.joined_on),
    );
  });
  return panel(t("cluster.members"), [
    h("div", { class: "table-wrap" }, h("table", { class: "members" },
      h("thead", {}, h("tr", {}, h("th", {}, t("table.name")), h("th", {}, t("cluster.role")), h("th", {}, t("cluster.joined")))),
      h("tbody", {}, rows))),
  ], { className: "members-panel" });
}

function groupCell(group) {
  if (group.share === null || group.share === undefined) return suppressedNote(group.reason);
  return `${formatPercent(group.share)} · n = ${formatNumber(group.n)}`;
}

function comparisonPanel(comparison) {
  const difference = comparison.difference;
  const level = formatNumber(comparison.interval_level * 100);
  const rows = h("dl", { class: "comparison" },
    h("dt", {}, t("comparison.members")), h("dd", { "data-group": "members" }, groupCell(comparison.members)),
    h("dt", {}, t("comparison.non_members")), h("dd", { "data-group": "non_members" }, groupCell(comparison.non_members)),
    h("dt", {}, t("comparison.difference")),
    h("dd", { "data-group": "difference" }, difference.value === null
      ? [t("comparison.withheld"), " — ", translateReason(difference.reason)]
      : `${formatPercent(difference.value, 1)} (${t("figure.interval", { level })}: ${formatPercent(difference.ci_low, 1)} … ${formatPercent(difference.ci_high, 1)})`),
  );
  const children = [h("p", { class: "explain" }, t("comparison.explain")), rows];
  if (difference.value !== null) {
    children.push(h("figure", { class: "chart-figure", "data-chart": "difference" }, differenceChart({
      value: difference.value,
      low: difference.ci_low,
      high: difference.ci_high,
      formatShare: (v) => formatPercent(v),
      labels: { title: t("comparison.difference"), tooltip: `${t("comparison.difference")}: ${formatPercent(difference.value, 1)}` },
    })));
  }
  return panel(t("comparison.title"), children, { className: "comparison-panel" });
}

function gapsPanel(gaps) {
  const entries = Object.entries(gaps.competencies);
  const children = [h("p", { class: "explain" }, t("gaps.explain"))];
  if (!entries.length) {
    children.push(message(t("gaps.none"), "message empty"));
  } else {
    const mean = (key) => entries.reduce((sum, [, c]) => sum + c[key], 0) / entries.length;
    const quadrants = Object.fromEntries(
      ["concentrate_here", "keep_up_the_good_work", "low_priority", "possible_overkill"].map((q) => [q, t(`quadrant.${q}`)]),
    );
    const points = entries.map(([code, c]) => ({
      code,
      label: competencyName(code),
      importance: c.importance,
      performance: c.performance,
      quadrant: c.quadrant,
      tooltip: `${competencyName(code)}: ${t("gaps.importance")} ${formatNumber(c.importance, 2)}, ${t("gaps.performance")} ${formatNumber(c.performance, 2)} (n = ${c.performance_n}), ${t("gaps.gap")} ${formatNumber(c.gap, 2)}`,
    }));
    children.push(
      h("figure", { class: "chart-figure", "data-chart": "quadrant", "data-points": points.length },
        quadrantChart({ points, crossX: mean("performance"), crossY: mean("importance"),
          labels: { title: t("gaps.title"), x: t("gaps.axis_x"), y: t("gaps.axis_y"), quadrants } })),
      scrollBox(t("gaps.title"), h("table", { class: "gaps" },
        h("thead", {}, h("tr", {}, ...["gaps.competency", "gaps.importance", "gaps.performance", "gaps.gap", "gaps.quadrant"].map((key, i) => h("th", { class: i && i < 4 ? "num" : "" }, t(key))))),
        h("tbody", {}, entries.map(([code, c]) => h("tr", { "data-code": code },
          h("td", {}, competencyName(code)),
          h("td", { class: "num" }, formatNumber(c.importance, 2)),
          h("td", { class: "num" }, formatNumber(c.performance, 2)),
          h("td", { class: "num" }, formatNumber(c.gap, 2)),
          h("td", { class: `quadrant ${c.quadrant}` }, t(`quadrant.${c.quadrant}`))))))),
    );
  }
  if (gaps.not_analysed.length) children.push(h("p", { class: "note" }, t("gaps.not_analysed", { count: gaps.not_analysed.length })));
  return panel(t("gaps.title"), children, { className: "gaps-panel" });
}
