// Pieces every page uses: an element builder, figures with their intervals or their suppression
// reason, indicator cards, panels and the unit table beside a funnel plot.

import { miniInterval } from "./charts.js";
import { formatNumber, formatPercent, t, translateReason } from "./i18n.js";

/** An HTML element: attributes (`class`, `href`, `data-*`, `on` for listeners) and children. */
export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "on") {
      for (const [event, listener] of Object.entries(value)) node.addEventListener(event, listener);
    } else if (name === "class") {
      node.className = value;
    } else {
      node.setAttribute(name, value === true ? "" : value);
    }
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export const SHARE_INDICATORS = [
  "employer_satisfaction",
  "preparedness",
  "would_hire_again",
  "employed_12m",
  "outcome_known",
  "graduate_level",
  "employed_in_field",
  "employer_marked_in_field",
  "coverage",
];
export const INDICATORS = [
  "employer_satisfaction",
  "preparedness",
  "would_hire_again",
  "competency_mean",
  "employed_12m",
  "outcome_known",
  "graduate_level",
  "employed_in_field",
  "coverage",
];

/** How a figure's value reads: shares as percentages, rating means with two decimals. */
export function formatValue(name, value) {
  if (value === null || value === undefined) return "—";
  if (name === "index") return formatNumber(value, 1);
  return SHARE_INDICATORS.includes(name) || name === "share" ? formatPercent(value) : formatNumber(value, 2);
}

export function published(figure) {
  return Boolean(figure) && !figure.suppressed && figure.value !== null && figure.value !== undefined;
}

export function hasInterval(figure) {
  return published(figure) && figure.ci_low !== null && figure.ci_high !== null;
}

/** "83% (70–92%)": the value with its interval. */
export function figureText(name, figure) {
  const value = formatValue(name, figure.value);
  if (!hasInterval(figure)) return value;
  return `${value} (${formatValue(name, figure.ci_low)}–${formatValue(name, figure.ci_high)})`;
}

/** "Not enough data — fewer than 10 assessments" in the current language. */
export function notEnoughData(reason) {
  const why = translateReason(reason);
  return why ? `${t("figure.not_enough_data")} — ${why}` : t("figure.not_enough_data");
}

export function suppressedNote(reason) {
  return h("span", { class: "suppressed-note" }, notEnoughData(reason));
}

function domainOf(name) {
  return name === "competency_mean" ? [1, 5] : [0, 1];
}

/** One indicator: value, interval bar, n; or "not enough data" with the reason. */
export function indicatorCard(name, figure, { level }) {
  const title = t(`indicator.${name}`);
  const card = h("article", { class: "indicator", "data-indicator": name });
  card.append(h("h3", {}, title));
  if (!figure) return card;
  if (published(figure)) {
    card.append(
      h("p", { class: "value" }, formatValue(name, figure.value)),
      miniInterval({
        value: figure.value,
        low: figure.ci_low,
        high: figure.ci_high,
        domain: domainOf(name),
        title: `${title}: ${figureText(name, figure)}`,
      }),
      h(
        "p",
        { class: "interval" },
        hasInterval(figure)
          ? `${t("figure.interval", { level })}: ${formatValue(name, figure.ci_low)}–${formatValue(name, figure.ci_high)}`
          : t("figure.no_interval"),
      ),
    );
  } else {
    card.classList.add("suppressed");
    card.append(h("p", { class: "value" }, t("figure.not_enough_data")), h("p", { class: "reason" }, translateReason(figure.reason)));
  }
  card.append(h("p", { class: "n" }, `n = ${formatNumber(figure.n)}`));
  return card;
}

export function indexCard(index, { level } = {}) {
  const card = h("article", { class: "indicator index", "data-indicator": "index" }, h("h3", {}, t("indicator.index")));
  if (index && index.value !== null && index.value !== undefined) {
    const bounded = index.ci_low !== null && index.ci_low !== undefined && index.ci_high !== null && index.ci_high !== undefined;
    card.append(
      h("p", { class: "value" }, formatNumber(index.value, 1)),
      h(
        "p",
        { class: "interval" },
        bounded
          ? `${t("figure.interval", { level })}: ${formatNumber(index.ci_low, 1)}–${formatNumber(index.ci_high, 1)}`
          : t("figure.no_interval"),
      ),
      miniInterval({
        value: index.value / 100,
        low: bounded ? index.ci_low / 100 : null,
        high: bounded ? index.ci_high / 100 : null,
        domain: [0, 1],
        title: t("indicator.index"),
      }),
    );
  } else {
    card.classList.add("suppressed");
    card.append(h("p", { class: "value" }, t("figure.not_enough_data")), h("p", { class: "reason" }, translateReason(index?.reason)));
  }
  return card;
}

export function intervalLevel(methodology) {
  return formatNumber((methodology?.interval_level ?? 0.9) * 100);
}

/** The scorecard of one scope: the index and every indicator. */
export function scorecard(card, { methodology, period, pooled }) {
  const level = intervalLevel(methodology);
  const heading = pooled ? t("scorecard.pooled", { first: period - 2, period }) : period;
  return panel(
    t("scorecard.title", { period: heading }),
    [
      h("p", { class: "explain" }, t("scorecard.methodology", { version: card.methodology_version, level })),
      h(
        "div",
        { class: "indicators" },
        indexCard(card.index, { level }),
        INDICATORS.map((name) => indicatorCard(name, card.indicators[name], { level })),
      ),
    ],
    { className: "scorecard" },
  );
}

export function panel(title, children, { className = "" } = {}) {
  return h("section", { class: `panel ${className}`.trim() }, h("h2", {}, title), children);
}

/** A table in a box of its own that scrolls sideways on a narrow screen: the box takes the
 * keyboard focus (the arrow keys scroll it) and is named by `label` (WCAG 2.1.1). */
export function scrollBox(label, table) {
  return h("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": label }, table);
}

export function pageTitle(text, subtitle) {
  return h("div", { class: "page-title" }, h("h1", {}, text), subtitle ? h("p", { class: "subtitle" }, subtitle) : null);
}

export function noScores() {
  return message(t("status.no_scores"), "message empty");
}

export function message(text, className = "message") {
  return h("p", { class: className }, text);
}

export function legend(items) {
  return h(
    "ul",
    { class: "legend" },
    items.map(([className, label]) => h("li", {}, h("span", { class: `swatch ${className}` }), label)),
  );
}

/**
 * The units beside a funnel plot, alphabetical (not a league table): the share with its
 * interval, n, the conservative rank with its band, the position against the control limits,
 * the index.
 */
export function unitTable({ units, positionOf, rankOf, nameOf, hrefOf }) {
  const rows = [...units].sort((a, b) => nameOf(a).localeCompare(nameOf(b)));
  const body = rows.map((unit) => {
    const figure = unit.indicators.employer_satisfaction;
    const name = h("td", { class: "name" }, hrefOf(unit) ? h("a", { href: hrefOf(unit) }, nameOf(unit)) : nameOf(unit));
    if (!published(figure)) {
      return h(
        "tr",
        { class: "suppressed", "data-id": unit.scope_id },
        name,
        h("td", { colspan: 2 }, suppressedNote(figure.reason)),
        h("td", { class: "num" }, formatNumber(figure.n)),
        h("td", { class: "num" }, "—"),
        h("td", {}, "—"),
      );
    }
    const position = positionOf(unit.scope_id) ?? null;
    return h(
      "tr",
      { "data-id": unit.scope_id },
      name,
      h("td", { class: "figure" }, figureText("employer_satisfaction", figure)),
      h("td", { class: "num" }, unit.index?.value !== null && unit.index?.value !== undefined ? formatNumber(unit.index.value, 1) : "—"),
      h("td", { class: "num" }, formatNumber(figure.n)),
      h("td", { class: "num" }, rankOf(unit.scope_id) ?? "—"),
      h("td", { class: position ? `position ${position}` : "" }, position ? t(`position.${position}`) : "—"),
    );
  });
  return h(
    "div",
    { class: "table-wrap" },
    h(
      "table",
      { class: "units" },
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          h("th", {}, t("table.name")),
          h("th", {}, t("table.satisfaction")),
          h("th", { class: "num" }, t("table.index")),
          h("th", { class: "num" }, t("table.n")),
          h("th", { class: "num" }, t("table.rank")),
          h("th", {}, t("table.position")),
        ),
      ),
      h("tbody", {}, body),
    ),
    h("p", { class: "note" }, t("table.rank_note")),
  );
}
