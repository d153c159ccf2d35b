// The draft review (#/workspace/institution/review, ?number=): an official release under
// review shows the institution its own figures (its organization's and its programs'); it may
// query one of them with a reason, and reads its queries with the ministry's answers.

import { forget, get, send } from "./api.js";
import { INDICATORS, figureText, h, message, notEnoughData, panel, published } from "./components.js";
import { field, formProblem, submitOnce, uid } from "./forms.js";
import { formatDateTime, formatNumber, t } from "./i18n.js";
import { flash, isInstitution, loadInstitution, notInstitution, programName, workspaceHeader } from "./inst_workspace.js";

const FIGURES = ["index", ...INDICATORS];

export async function reviewView(params, ctx) {
  if (!isInstitution()) return notInstitution();
  const [ws, page] = await Promise.all([loadInstitution(), get("/quality/publications?limit=50")]);
  const drafts = page.items.filter((p) => p.status === "draft" && p.kind === "official");
  const draft = drafts.find((p) => String(p.number) === params.number) || drafts[0] || null;
  const content = [workspaceHeader(ws, "review"), flash(ctx)];
  if (!draft) {
    content.push(panel(t("inst_ws.review_title"), [h("p", { class: "explain" }, t("inst_ws.review_explain")), message(t("inst_ws.no_drafts"), "message empty")], { className: "inst-review" }));
    return h("div", { class: "inst-workspace" }, content);
  }
  const path = `/quality/publications/${draft.number}`;
  const [own, programs, queries] = await Promise.all([get(`${path}/figures?scope=organization`), get(`${path}/figures?scope=program`), get(`${path}/queries`)]);
  const cards = [...own, ...programs];
  const unitOf = (scope, id) => (scope === "organization" ? ws.name || id.slice(0, 8) : programName(ws, id));
  content.push(
    panel(t("inst_ws.review_draft", { number: draft.number, period: draft.period }), [
      h("p", { class: "explain" }, t("inst_ws.review_explain")),
      drafts.length > 1 ? h("nav", { class: "workspace-tabs", "aria-label": t("inst_ws.drafts") }, drafts.map((p) => h("a", { href: `#/workspace/institution/review?number=${p.number}`, class: p === draft ? "active" : null, "aria-current": p === draft ? "page" : null }, `№${p.number} · ${p.period}`))) : null,
      h("p", { class: "review-window", "data-publication": draft.number }, draft.review_until ? t("inst_ws.review_until", { date: formatDateTime(draft.review_until) }) : t("inst_ws.review_open")),
      cards.length ? cards.map((card) => figuresTable(card, unitOf)) : message(t("inst_ws.no_figures"), "message empty"),
    ], { className: "inst-review" }),
    cards.length ? queryPanel({ number: draft.number, cards, unitOf, ctx }) : null,
    queriesPanel(queries, unitOf));
  return h("div", { class: "inst-workspace" }, content);
}

function figureValue(name, card) {
  if (name === "index") {
    const index = card.index || {};
    return index.value === null || index.value === undefined ? notEnoughData(index.reason) : formatNumber(index.value, 1);
  }
  const figure = card.indicators[name];
  return published(figure) ? figureText(name, figure) : notEnoughData(figure.reason);
}

function present(card) {
  return FIGURES.filter((name) => name === "index" || card.indicators[name]);
}

function figuresTable(card, unitOf) {
  const columns = ["inst_ws.figure", "inst_ws.value", "inst_ws.n"];
  return h("div", { class: "table-wrap" },
    h("table", { class: "employees draft-figures", "data-scope": card.scope, "data-id": card.scope_id },
      h("caption", {}, unitOf(card.scope, card.scope_id)),
      h("thead", {}, h("tr", {}, columns.map((key) => h("th", { scope: "col" }, t(key))))),
      h("tbody", {}, present(card).map((name) => h("tr", { "data-indicator": name },
        h("th", { scope: "row" }, t(`indicator.${name}`)),
        h("td", { "data-label": t(columns[1]) }, figureValue(name, card)),
        h("td", { class: "num", "data-label": t(columns[2]) }, name === "index" ? "—" : formatNumber(card.indicators[name].n)))))));
}

function queryPanel({ number, cards, unitOf, ctx }) {
  const figure = h("select", { id: uid("figure") }, cards.map((card) => h("optgroup", { label: unitOf(card.scope, card.scope_id) },
    present(card).map((name) => h("option", { value: `${card.scope}|${card.scope_id}|${name}` }, `${unitOf(card.scope, card.scope_id)}: ${t(`indicator.${name}`)}`)))));
  const reason = h("textarea", { rows: 3, maxlength: 2000 });
  const button = h("button", { type: "submit", class: "primary", id: "query-submit" }, t("inst_ws.query_submit"));
  const form = h("form", { id: "query-form", class: "workspace-form", novalidate: true },
    field({ name: "indicator", label: t("inst_ws.query_figure"), control: figure }),
    field({ name: "reason", label: t("inst_ws.query_reason"), control: reason, hint: t("inst_ws.query_hint") }),
    formProblem(),
    button);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const [scope, scopeId, indicator] = figure.value.split("|");
    const text = reason.value.trim();
    submitOnce(form, button, async () => {
      await send("POST", `/quality/publications/${number}/queries`, { scope, scope_id: scopeId, indicator, ...(text ? { reason: text } : {}) });
      forget(`/quality/publications/${number}/queries`);
      ctx.flash = t("inst_ws.query_filed");
      ctx.refresh();
    });
  });
  return panel(t("inst_ws.query_title"), [h("p", { class: "explain" }, t("inst_ws.query_explain")), form], { className: "inst-query" });
}

function queriesPanel(queries, unitOf) {
  const body = queries.length
    ? h("ul", { class: "queries" }, queries.map((q) => h("li", { "data-query": q.id, "data-answered": String(q.answer !== null) },
      h("h3", {}, `${unitOf(q.scope, q.scope_id)}: ${t(`indicator.${q.indicator}`)}`),
      h("p", { class: "query-reason" }, h("strong", {}, `${t("inst_ws.query_asked", { date: formatDateTime(q.raised_at) })} `), q.reason),
      q.answer !== null
        ? h("p", { class: "query-answer" }, h("strong", {}, `${t("inst_ws.query_answered", { date: formatDateTime(q.answered_at) })} `), q.answer)
        : h("p", { class: "query-answer pending" }, t("inst_ws.query_waiting")))))
    : message(t("inst_ws.no_queries"), "message empty");
  return panel(t("inst_ws.queries_title", { count: queries.length }), [body], { className: "inst-queries" });
}
