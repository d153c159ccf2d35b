// Periods and publications (#/workspace/ministry?period=&cursor=): the year's publications; with
// no draft under review, a form opening an official release for review, an interim publication
// or a restatement; with one, its queries from the institutions, each answered here, and
// publishing it after a second click (docs/publication.md, "The review of an official release").

import { forget, get, organization, program, send, unitName } from "./api.js";
import { h, message, panel } from "./components.js";
import { choices, confirmStep, field, formProblem, submitOnce } from "./forms.js";
import { formatDateTime, t } from "./i18n.js";
import { cell, chosenPeriod, dataTable, flash, isMinistry, labelOr, notMinistry, sectionHref, workspaceHeader } from "./min_workspace.js";

const PAGE = 20; // the page latestPublication() reads too, so both share one cached answer

function listPath(period, cursor) {
  return `/quality/publications?period=${period}&limit=${PAGE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
}

/** After a change: scores, publications and the years they exist for are read again. */
function changed(ctx, text) {
  forget("/quality");
  ctx.periods = [];
  ctx.flash = text;
  ctx.refresh();
}

export async function publicationsView(params, ctx) {
  if (!isMinistry()) return notMinistry();
  const period = chosenPeriod(params, ctx);
  const cursor = params.cursor || null;
  forget("/quality/publications"); // always as they stand: institutions query, the service publishes
  const [first, listed] = await Promise.all([get(listPath(period)), get(listPath(period, cursor))]);
  const draft = first.items.find((p) => p.status === "draft") || null;
  const queries = draft ? await get(`/quality/publications/${draft.number}/queries`) : [];
  await Promise.all(queries.map((q) => (q.scope === "program" ? program(q.scope_id) : q.scope === "organization" ? organization(q.scope_id) : null)));
  return h("div", { class: "min-ws" },
    workspaceHeader({ active: "publications", period, ctx }),
    flash(ctx),
    listPanel(listed, period, cursor),
    draft ? reviewPanel(draft, queries, ctx) : openPanel(period, ctx));
}

function statusText(p) {
  if (p.status === "published") return `${t("min_ws.status.published")} · ${formatDateTime(p.published_at)}`;
  return p.review_until ? `${t("min_ws.status.draft")} · ${t("min_ws.review_until", { date: formatDateTime(p.review_until) })}` : t("min_ws.status.draft");
}

function listPanel(listed, period, cursor) {
  const rows = listed.items.map((p) => h("tr", { "data-number": p.number, "data-status": p.status, "data-release": p.release },
    h("th", { scope: "row" }, `№${p.number}`),
    cell(t("min_ws.col.kind"), t(`min_ws.kind.${p.kind}`)),
    cell(t("min_ws.col.status"), statusText(p), { class: `status ${p.status}` }),
    cell(t("min_ws.col.methodology"), p.methodology_version),
    cell(t("min_ws.col.created"), formatDateTime(p.created_at)),
    cell(t("min_ws.col.note"), p.restates ? t("min_ws.restates", { number: p.restates, reason: p.reason || "" }) : null)));
  const pages = h("p", { class: "min-ws-pages" },
    cursor ? h("a", { href: sectionHref("publications", { period }) }, t("min_ws.newest")) : null,
    cursor && listed.next_cursor ? " · " : null,
    listed.next_cursor ? h("a", { href: sectionHref("publications", { period, cursor: listed.next_cursor }) }, t("min_ws.older")) : null);
  const body = rows.length
    ? [dataTable("min-ws-publications", ["№", t("min_ws.col.kind"), t("min_ws.col.status"), t("min_ws.col.methodology"), t("min_ws.col.created"), t("min_ws.col.note")], rows), pages]
    : [message(t("min_ws.no_publications", { period }), "message empty"), pages];
  return panel(t("min_ws.list_title", { period }), [h("p", { class: "explain" }, t("min_ws.list_explain")), body], { className: "min-ws-list" });
}

function checkbox(id, label) {
  const box = h("input", { type: "checkbox", id });
  return [box, h("div", { class: "field checkbox" }, box, h("label", { for: id }, label))];
}

function openPanel(period, ctx) {
  const kind = choices({ name: "kind", legend: t("min_ws.kind_legend"), options: [["official", t("min_ws.kind_official_option")], ["interim", t("min_ws.kind_interim_option")]] });
  kind.querySelector("input[value=official]").checked = true;
  const [restate, restateField] = checkbox("min-ws-restate", t("min_ws.restate", { period }));
  restateField.dataset.field = "restate";
  const reason = h("textarea", { name: "reason", rows: 2, maxlength: 2000 });
  const button = h("button", { type: "submit", class: "primary", id: "min-ws-open-submit" }, t("min_ws.open_submit"));
  const form = h("form", { id: "min-ws-open-form", class: "workspace-form", novalidate: true },
    kind, restateField, field({ name: "reason", label: t("min_ws.reason"), control: reason, hint: t("min_ws.reason_hint") }), formProblem(), button);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submitOnce(form, button, async () => {
      const chosen = form.querySelector("input[name=kind]:checked")?.value || "official";
      const body = { period, kind: chosen, restate: restate.checked };
      if (reason.value.trim()) body.reason = reason.value.trim();
      const made = await send("POST", "/quality/publications", body);
      changed(ctx, t(made.status === "draft" ? "min_ws.opened" : "min_ws.made_interim", { number: made.number }));
    });
  });
  return panel(t("min_ws.open_title", { period }), [h("p", { class: "explain" }, t("min_ws.open_explain")), form], { className: "min-ws-open" });
}

function unitLabel(q) {
  return `${t(`min_ws.scope.${q.scope}`)}: ${unitName(q.scope, q.scope_id, q.scope_id)}`;
}

function queryItem(draft, q, ctx) {
  const about = [unitLabel(q), labelOr(`indicator.${q.indicator}`, q.indicator), q.pooled ? t("min_ws.pooled") : null].filter(Boolean).join(" · ");
  const item = h("li", { class: "min-ws-query", "data-query": q.id, "data-answered": String(q.answer !== null) },
    h("p", { class: "about" }, about),
    h("p", { class: "reason" }, q.reason),
    h("p", { class: "note" }, t("min_ws.raised", { by: q.raised_by, date: formatDateTime(q.raised_at) })));
  if (q.answer !== null) {
    item.append(h("p", { class: "answer" }, t("min_ws.answered_at", { date: formatDateTime(q.answered_at) }), " ", q.answer));
    return item;
  }
  const answer = h("textarea", { name: "answer", rows: 2, maxlength: 2000 });
  const button = h("button", { type: "submit", class: "primary" }, t("min_ws.answer_submit"));
  const form = h("form", { class: "workspace-form min-ws-answer", novalidate: true },
    field({ name: "answer", label: t("min_ws.answer"), control: answer }), formProblem(), button);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submitOnce(form, button, async () => {
      const body = answer.value.trim() ? { answer: answer.value.trim() } : {};
      await send("POST", `/quality/publications/${draft.number}/queries/${encodeURIComponent(q.id)}/answer`, body);
      forget("/quality/publications");
      ctx.flash = t("min_ws.answered");
      ctx.refresh();
    });
  });
  item.append(form);
  return item;
}

function reviewPanel(draft, queries, ctx) {
  const waiting = queries.filter((q) => q.answer === null).length;
  const list = queries.length
    ? h("ol", { class: "min-ws-queries" }, queries.map((q) => queryItem(draft, q, ctx)))
    : message(t("min_ws.no_queries"), "message empty");
  return h("section", { class: "panel min-ws-review", "data-number": draft.number },
    h("h2", {}, t("min_ws.review_title", { number: draft.number, period: draft.period })),
    h("p", { class: "explain" }, t("min_ws.review_explain")),
    h("h3", {}, t("min_ws.queries_title", { count: queries.length })),
    list,
    publishPart(draft, waiting, ctx));
}

/** Publishing asks once more in the page; the API's refusal (a query without its answer, the
 * review window still open) is shown above the buttons as the API words it. */
function publishPart(draft, waiting, ctx) {
  const open = draft.review_until && new Date(draft.review_until) > new Date();
  const [close, closeField] = checkbox("min-ws-close-review", t("min_ws.close_review"));
  const ask = h("button", { type: "button", class: "primary", id: "min-ws-publish" }, t("min_ws.publish"));
  const confirm = h("button", { type: "button", class: "primary", id: "min-ws-publish-confirm" }, t("min_ws.publish_confirm"));
  const question = confirmStep({
    ask,
    confirm,
    text: t("min_ws.publish_question", { number: draft.number, period: draft.period }),
    cancelText: t("min_ws.cancel"),
    cancelId: "min-ws-publish-cancel",
  });
  const part = h("div", { class: "min-ws-publish" },
    h("h3", {}, t("min_ws.publish_title")),
    h("p", { class: waiting ? "note warn" : "note" }, t("min_ws.waiting", { count: waiting })),
    open ? h("p", { class: "note" }, t("min_ws.window_open", { date: formatDateTime(draft.review_until) })) : null,
    open ? closeField : null,
    ask, question, formProblem());
  confirm.addEventListener("click", () => submitOnce(part, confirm, async () => {
    const published = await send("POST", `/quality/publications/${draft.number}/publish`, { close_review: close.checked });
    changed(ctx, t("min_ws.published", { number: published.number }));
  }));
  return part;
}
