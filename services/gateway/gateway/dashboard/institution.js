// An institution: its scorecard, competency profile by domain, trend and employment outcomes.

import { domainName, get, history, names, optional, organization, periodQuery, unitHref, unitName } from "./api.js";
import { intervalRows, trendChart } from "./charts.js";
import { figureText, h, hasInterval, intervalLevel, legend, noScores, notEnoughData, panel, published, scorecard } from "./components.js";
import { formatNumber, formatPercent, localizedName, t } from "./i18n.js";

// The default framework's domains, in its order; other domains follow.
const DOMAINS = ["foundation", "adaptive", "collaborative", "technical", "employability", "digital"];

export async function institutionView(params, ctx) {
  const id = params.id;
  const [cards, record] = await Promise.all([history("organization", id, ctx), organization(id)]);
  const card = cards.find((c) => c.period === ctx.period) || null;
  const regionCode = record?.region_code;
  const subtitle = h(
    "p",
    { class: "subtitle" },
    t("scope.organization"),
    regionCode ? [" · ", t("institution.region"), ": ", h("a", { href: unitHref("region", regionCode) }, localizedName(names.regions.get(regionCode)) || regionCode)] : null,
  );
  const content = [h("div", { class: "page-title" }, h("h1", {}, record?.name || unitName("organization", id)), subtitle)];
  if (!card) return [...content, noScores()];
  const region = regionCode ? `&region=${encodeURIComponent(regionCode)}` : "";
  const benchmarks = await optional(get(`/quality/benchmarks?scope=organization&${periodQuery(ctx)}${region}&level=${ctx.methodology?.interval_level ?? 0.9}`), { items: [] });
  const benchmark = benchmarks.items.find((item) => item.unit_id === id);
  content.push(scorecard(card, ctx), benchmarkPanel(benchmark, ctx), domainProfile(card), trendPanel(cards), outcomesPanel(cards));
  return content;
}

/** The institution against the national rates of its mix of fields and levels. */
function benchmarkPanel(benchmark, ctx) {
  if (!benchmark) return null;
  const points = (share) => `${share > 0 ? "+" : ""}${formatNumber(share * 100, 1)}`;
  const body = benchmark.expected === null
    ? [h("p", { class: "reason" }, notEnoughData(benchmark.reason))]
    : [
      h("dl", { class: "benchmark" },
        h("dt", {}, t("indicator.employer_satisfaction")), h("dd", { "data-benchmark": "value" }, formatPercent(benchmark.value)),
        h("dt", {}, t("benchmark.expected")), h("dd", { "data-benchmark": "expected" }, formatPercent(benchmark.expected)),
        h("dt", {}, t("benchmark.difference")),
        h("dd", { "data-benchmark": "difference" }, `${points(benchmark.difference)} (${t("figure.interval", { level: intervalLevel(ctx.methodology) })}: ${points(benchmark.ci_low)} … ${points(benchmark.ci_high)})`)),
      h("p", { class: `flag ${benchmark.flag || "not_material"}`, "data-benchmark": "flag" }, t(`benchmark.${benchmark.flag || "not_material"}`)),
    ];
  return panel(t("institution.benchmark"), [h("p", { class: "explain" }, t("institution.benchmark_explain")), ...body], { className: "benchmark-panel" });
}

function domainProfile(card) {
  const codes = [...DOMAINS.filter((code) => code in card.domains), ...Object.keys(card.domains).filter((code) => !DOMAINS.includes(code))];
  const rows = codes.map((code) => {
    const figure = card.domains[code].mean;
    const label = domainName(code, t(`domain.${code}`));
    return {
      label,
      value: published(figure) ? figure.value : null,
      low: figure.ci_low,
      high: figure.ci_high,
      suppressed: !published(figure),
      reasonText: notEnoughData(figure.reason),
      valueText: `${formatNumber(figure.value ?? 0, 2)} · n = ${formatNumber(figure.n)}`,
      tooltip: `${label}: ${figureText("competency_mean", figure)}, n = ${figure.n}`,
    };
  });
  return panel(
    t("institution.profile"),
    [
      h("p", { class: "explain" }, t("institution.profile_explain")),
      h("figure", { class: "chart-figure", "data-chart": "profile" },
        intervalRows({ rows, domain: [1, 5], format: (v) => String(v), title: t("institution.profile"), className: "profile" })),
    ],
    { className: "profile-panel" },
  );
}

function pointsOf(cards, name, label) {
  const points = {};
  for (const card of cards) {
    const figure = name === "index" ? card.index : card.indicators[name];
    if (name === "index" && figure?.value !== null && figure?.value !== undefined) {
      const bounded = figure.ci_low !== null && figure.ci_low !== undefined && figure.ci_high !== null && figure.ci_high !== undefined;
      const interval = bounded ? ` (${formatNumber(figure.ci_low, 1)}–${formatNumber(figure.ci_high, 1)})` : "";
      points[card.period] = {
        value: figure.value / 100,
        low: bounded ? figure.ci_low / 100 : null,
        high: bounded ? figure.ci_high / 100 : null,
        tooltip: `${card.period} · ${label}: ${formatNumber(figure.value, 1)}${interval}`,
      };
    } else if (name !== "index" && published(figure)) {
      points[card.period] = {
        value: figure.value,
        low: hasInterval(figure) ? figure.ci_low : null,
        high: hasInterval(figure) ? figure.ci_high : null,
        tooltip: `${card.period} · ${label}: ${figureText(name, figure)}, n = ${figure.n}`,
      };
    }
  }
  return points;
}

function suppressedYears(cards, indicators) {
  const notes = [];
  for (const card of cards) {
    for (const name of indicators) {
      const figure = name === "index" ? card.index : card.indicators[name];
      if (figure && (figure.value === null || figure.value === undefined)) {
        notes.push(h("li", { class: "suppressed" }, `${card.period} · ${t(`indicator.${name}`)}: ${notEnoughData(figure.reason)}`));
      }
    }
  }
  return notes.length ? h("ul", { class: "suppressed-list" }, notes) : null;
}

function seriesChart({ cards, indicators, className, heading }) {
  const years = cards.map((card) => card.period);
  const series = indicators.map((name, index) => {
    const label = t(`indicator.${name}`);
    return { key: name, label, dashed: name === "index", points: pointsOf(cards, name, label), index };
  });
  const anything = series.some((line) => Object.keys(line.points).length);
  return [
    anything
      ? h("figure", { class: "chart-figure", "data-chart": className },
        trendChart({ years, series, domain: [0, 1], format: (v) => formatPercent(v), title: heading, className }),
        legend(series.map((line) => [`series-${line.index}${line.dashed ? " dashed" : ""}`, line.label])))
      : null,
    suppressedYears(cards, indicators),
  ];
}

function trendPanel(cards) {
  const indicators = ["employer_satisfaction", "preparedness", "index"];
  return panel(t("institution.trend"), [
    h("p", { class: "explain" }, t("institution.trend_explain")),
    seriesChart({ cards, indicators, className: "trend-history", heading: t("institution.trend") }),
  ], { className: "trend-panel" });
}

function outcomesPanel(cards) {
  const indicators = ["employed_12m", "outcome_known", "graduate_level", "employed_in_field"];
  return panel(t("institution.outcomes"), [
    h("p", { class: "explain" }, t("institution.outcomes_explain")),
    seriesChart({ cards, indicators, className: "outcomes", heading: t("institution.outcomes") }),
  ], { className: "outcomes-panel" });
}
