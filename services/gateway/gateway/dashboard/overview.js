// The national and region overviews: scorecards and funnel plots of their units.

import { get, getAll, names, periodQuery, scoreOf, unitHref, unitName } from "./api.js";
import { funnelPlot } from "./charts.js";
import { figureText, h, legend, message, noScores, pageTitle, panel, published, scorecard, suppressedNote, unitTable } from "./components.js";
import { formatPercent, localizedName, t } from "./i18n.js";

/** Units of one scope as a funnel plot of employer satisfaction, with the table beside it. */
async function funnelPanel({ scope, units, ctx, heading }) {
  const query = `scope=${scope}&${periodQuery(ctx)}${ctx.regionFilter || ""}`;
  const [rankings, drawn] = await Promise.all([getAll(`/quality/rankings?${query}`), get(`/quality/funnel?${query}`)]);
  // A rank is shown with its band (the ranks the unit takes in the posterior draws), never bare.
  const ranks = new Map(
    rankings
      .filter((item) => item.rank !== null)
      .map((item) => {
        const [low, high] = item.rank_interval ?? [item.rank, item.rank];
        return [item.scope_id, low === high ? String(item.rank) : `${item.rank} (${low}–${high})`];
      }),
  );
  // Where each unit lies, as the quality service computed it (exact, over-dispersion allowed).
  const positions = new Map(drawn.points.map((point) => [point.scope_id, point.position]));
  const plotted = units.filter((unit) => positions.has(unit.scope_id));
  const overall = drawn.overall;
  const nameOf = (unit) => unitName(scope, unit.scope_id, t("scope.national"));
  const hrefOf = (unit) => unitHref(scope, unit.scope_id);
  const children = [
    h("p", { class: "explain" }, t("funnel.explain", { units: t(`units.${scope}`), rate: overall === null ? "—" : formatPercent(overall, 1) })),
  ];
  if (plotted.length && overall !== null) {
    children.push(
      h(
        "figure",
        { class: "chart-figure", "data-chart": "funnel", "data-units": plotted.length },
        funnelPlot({
          points: plotted.map((unit) => {
            const figure = unit.indicators.employer_satisfaction;
            return {
              id: unit.scope_id,
              label: nameOf(unit),
              href: hrefOf(unit),
              n: figure.n,
              value: figure.value,
              low: figure.ci_low,
              high: figure.ci_high,
              tooltip: `${nameOf(unit)}: ${figureText("employer_satisfaction", figure)}, n = ${figure.n}`,
              position: positions.get(unit.scope_id),
            };
          }),
          overall,
          limits: drawn.limits,
          formatShare: (v) => formatPercent(v),
          labels: {
            title: t("funnel.title"),
            x: t("funnel.axis_x"),
            y: t("funnel.axis_y"),
            overall: t("funnel.overall"),
            limit95: t("funnel.limit95"),
            limit998: t("funnel.limit998"),
          },
        }),
        legend([
          ["overall", `${t("funnel.overall")} (${formatPercent(overall, 1)})`],
          ["limit-95", t("funnel.limit95")],
          ["limit-998", t("funnel.limit998")],
          ["above998", t("position.above998")],
          ["within", t("position.within")],
          ["below998", t("position.below998")],
        ]),
      ),
    );
  } else {
    children.push(message(t("funnel.no_units"), "message empty"));
  }
  if (units.length) {
    children.push(unitTable({ units, positionOf: (id) => positions.get(id), rankOf: (id) => ranks.get(id), nameOf, hrefOf }));
  }
  return panel(heading, children, { className: "funnel-panel" });
}

export async function overviewView(params, ctx) {
  const show = params.show === "institutions" ? "organization" : "region";
  const [national, units] = await Promise.all([
    scoreOf("national", "UZ", ctx),
    getAll(`/quality/scores?scope=${show}&${periodQuery(ctx)}`),
  ]);
  const content = [pageTitle(t("overview.title"), t("scope.national"))];
  if (!national && !units.length) return [...content, noScores()];
  if (national) content.push(scorecard(national, ctx));
  const toggle = h(
    "div",
    { class: "toggle", role: "group", "aria-label": t("overview.show") },
    h("span", {}, `${t("overview.show")}:`),
    h("a", { href: "#/", class: show === "region" ? "active" : "", id: "show-regions" }, t("overview.regions")),
    h("a", { href: "#/?show=institutions", class: show === "organization" ? "active" : "", id: "show-institutions" }, t("overview.institutions")),
  );
  content.push(toggle, await funnelPanel({ scope: show, units, ctx, heading: t("funnel.title") }));
  return content;
}

export async function regionView(params, ctx) {
  const code = params.id;
  const region = { ...ctx, regionFilter: `&region=${encodeURIComponent(code)}` };
  const [card, institutions, clusters] = await Promise.all([
    scoreOf("region", code, ctx),
    getAll(`/quality/scores?scope=organization&${periodQuery(ctx)}&region=${encodeURIComponent(code)}`),
    getAll(`/quality/scores?scope=cluster&${periodQuery(ctx)}&region=${encodeURIComponent(code)}`),
  ]);
  const name = localizedName(names.regions.get(code)) || code;
  const content = [pageTitle(name, `${t("scope.region")} · ${code}`)];
  if (!card && !institutions.length) return [...content, noScores()];
  if (card) content.push(scorecard(card, ctx));
  content.push(await funnelPanel({ scope: "organization", units: institutions, ctx: region, heading: t("region.institutions") }));
  content.push(clusterList(code, clusters));
  return content;
}

function clusterList(code, scored) {
  const known = [...names.clusters.values()].filter((cluster) => cluster.region_code === code);
  const ids = new Set([...known.map((cluster) => cluster.id), ...scored.map((card) => card.scope_id)]);
  if (!ids.size) return panel(t("region.clusters"), [message(t("region.no_clusters"))]);
  const byId = new Map(scored.map((card) => [card.scope_id, card]));
  const items = [...ids].map((id) => {
    const figure = byId.get(id)?.indicators.employer_satisfaction;
    return h(
      "li",
      { "data-id": id },
      h("a", { href: unitHref("cluster", id) }, unitName("cluster", id)),
      " — ",
      !figure ? "—" : published(figure) ? `${t("indicator.employer_satisfaction")}: ${figureText("employer_satisfaction", figure)}, n = ${figure.n}` : suppressedNote(figure.reason),
    );
  });
  return panel(t("region.clusters"), [h("ul", { class: "cluster-list" }, items)]);
}
