// Employment confirmations (#/workspace/institution/confirmations): the employments its
// graduates' employers have claimed, each confirmed (the employer may then assess the graduate)
// or disputed with a reason (POST /employments/<id>/confirm, /dispute); and the e-mail reminders
// of how many await it (the employer workspace's settings panel, docs/reminders.md).

import { get, getAll, organization, send } from "./api.js";
import { h, message, panel } from "./components.js";
import { field, formProblem, submitOnce, uid } from "./forms.js";
import { mailPanel } from "./employer.js";
import { t } from "./i18n.js";
import { flash, forgetInstitution, graduateNames, isInstitution, loadInstitution, notInstitution, workspaceHeader } from "./inst_workspace.js";

export async function confirmationsView(params, ctx) {
  if (!isInstitution()) return notInstitution();
  const [ws, claimed, subscription] = await Promise.all([loadInstitution(), getAll("/employments?state=claimed"), get("/reminders/subscription")]);
  const employerIds = [...new Set(claimed.map((e) => e.employer_id))];
  const [names, employers] = await Promise.all([
    graduateNames(claimed.map((e) => e.graduate_id)),
    Promise.all(employerIds.map(async (id) => [id, (await organization(id))?.name || id.slice(0, 8)])).then((pairs) => new Map(pairs)),
  ]);
  claimed.sort((a, b) => names.get(a.graduate_id).localeCompare(names.get(b.graduate_id)));
  const body = claimed.length
    ? h("ul", { class: "claims" }, claimed.map((e) => claimItem({ name: names.get(e.graduate_id), employment: e, employer: employers.get(e.employer_id), ctx })))
    : message(t("inst_ws.no_claims"), "message empty");
  return h("div", { class: "inst-workspace" },
    workspaceHeader(ws, "confirmations"),
    flash(ctx),
    panel(t("inst_ws.claims_title", { count: claimed.length }), [h("p", { class: "explain" }, t("inst_ws.claims_explain")), body], { className: "inst-claims" }),
    mailPanel(subscription, ctx, "inst_ws.mail_explain"));
}

function claimItem({ name, employment: e, employer, ctx }) {
  const headingId = uid("claim");
  const reason = h("textarea", { rows: 2, maxlength: 500 });
  const confirm = h("button", { type: "button", class: "primary confirm" }, t("inst_ws.confirm"));
  const dispute = h("button", { type: "submit", class: "danger dispute" }, t("inst_ws.dispute"));
  const form = h("form", { class: "workspace-form claim-form", novalidate: true, "aria-labelledby": headingId },
    field({ name: "reason", label: t("inst_ws.dispute_reason"), control: reason, hint: t("inst_ws.dispute_hint") }),
    formProblem(),
    h("div", { class: "buttons" }, confirm, dispute));
  const moved = (key) => {
    forgetInstitution();
    ctx.flash = t(key, { name });
    ctx.refresh();
  };
  confirm.addEventListener("click", () => submitOnce(form, confirm, async () => {
    await send("POST", `/employments/${encodeURIComponent(e.id)}/confirm`);
    moved("inst_ws.confirmed");
  }));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = reason.value.trim();
    submitOnce(form, dispute, async () => {
      await send("POST", `/employments/${encodeURIComponent(e.id)}/dispute`, text ? { reason: text } : {});
      moved("inst_ws.disputed");
    });
  });
  return h("li", { class: "claim", "data-employment": e.id, "data-graduate": e.graduate_id },
    h("h3", { id: headingId }, name),
    h("dl", { class: "claim-facts" },
      h("dt", {}, t("inst_ws.employer")), h("dd", {}, employer),
      h("dt", {}, t("inst_ws.position")), h("dd", {}, `${e.position} (ISCO ${e.isco_code})`),
      h("dt", {}, t("inst_ws.dates")), h("dd", {}, `${e.start_date} – ${e.end_date || "…"}`),
      h("dt", {}, t("inst_ws.in_field")), h("dd", {}, t(e.in_field ? "inst_ws.yes" : "inst_ws.no"))),
    form);
}
