// The form publishing the next methodology version, under the version in force on the
// ministry's methodology page (min_workspace.js): every field of the API's change, prefilled
// with the version in force. Only what was changed is sent (the API keeps what is left out; a
// group such as the thresholds is sent whole, as the API replaces it whole), and only after a
// second click, since every score is then recomputed (docs/methodology.md).

import { forget, send } from "./api.js";
import { h } from "./components.js";
import { clearProblems, confirmStep, field, formProblem, showProblems, submitOnce, uid } from "./forms.js";
import { t } from "./i18n.js";

// The API's names of a change, with the labels the facts of the page use for them.
const LABELS = {
  interval_level: "min_ws.m.interval_level",
  satisfied_threshold: "min_ws.m.satisfied_threshold",
  alert_index_below: "min_ws.m.alert_index_below",
  min_known_share: "min_ws.m.min_known_share",
  outcome_lag_days: "min_ws.m.outcome_lag_days",
  counting_employment_states: "min_ws.m.counting_states",
  rounding: "min_ws.m.rounding",
  weights: "min_ws.m.weights",
  thresholds: "min_ws.m.thresholds",
};
// What the API takes in each group (MethodologyChange in the quality service's schemas.py).
const WEIGHTED = ["employer_satisfaction", "preparedness", "competency_mean", "employed_12m", "graduate_level", "employed_in_field"];
const THRESHOLDS = ["min_share_n", "min_mean_n", "min_employers", "min_graduates", "protection_width"];
const ROUNDING = ["share_decimals", "mean_decimals", "index_decimals"];
const STATES = ["confirmed", "verified", "claimed", "disputed", "rejected"];
const SATISFIED = [2, 3, 4, 5];

/** A number field named by its path in the API's body ("thresholds.min_share_n"). */
function numberField(path, label, value, { step, hint } = {}) {
  const input = h("input", { type: "number", name: path, value: value ?? "", step, inputmode: step === 1 ? "numeric" : "decimal", "data-path": path });
  return field({ name: path, label, control: input, hint });
}

/** Fields of one group of the API's body, in a fieldset that also takes the group's refusals. */
function group(name, fields, hint) {
  const [hintId, errorId] = [uid("d"), uid("e")];
  return h("fieldset", { class: "domain", "data-field": name, "aria-describedby": hint ? `${hintId} ${errorId}` : errorId },
    h("legend", {}, t(LABELS[name])),
    hint ? h("p", { class: "hint", id: hintId }, hint) : null,
    h("p", { class: "field-error", id: errorId, hidden: true }),
    h("div", { class: "field-row" }, fields));
}

function statesField(counted) {
  const boxes = STATES.map((state) => {
    const id = uid("state");
    return h("span", { class: "option" },
      h("input", { type: "checkbox", id, name: "counting_employment_states", value: state, checked: counted.includes(state) }),
      h("label", { for: id }, t(`employment_state.${state}`)));
  });
  const errorId = uid("e");
  return h("fieldset", { class: "choices", "data-field": "counting_employment_states", "aria-describedby": errorId },
    h("legend", {}, t(LABELS.counting_employment_states)),
    h("p", { class: "field-error", id: errorId, hidden: true }),
    h("div", { class: "options" }, boxes));
}

function satisfiedField(current) {
  const select = h("select", { name: "satisfied_threshold" },
    SATISFIED.map((n) => h("option", { value: n, selected: n === current }, t("min_ws.m.satisfied_value", { n }))));
  return field({ name: "satisfied_threshold", label: t(LABELS.satisfied_threshold), control: select });
}

/** The form's values as the API's body, and the paths of the numbers left empty. */
function read(form, m) {
  const body = { satisfied_threshold: Number(form.querySelector("select[name=satisfied_threshold]").value) };
  const empty = [];
  for (const input of form.querySelectorAll("input[data-path]")) {
    const path = input.dataset.path.split(".");
    if (input.value.trim() === "") empty.push(path);
    const [name, member] = path;
    const value = input.value.trim() === "" ? null : Number(input.value);
    if (member) body[name] = { ...body[name], [member]: value };
    else body[name] = value;
  }
  // An indicator the version in force does not weigh stays out of it while its weight is 0.
  body.weights = Object.fromEntries(Object.entries(body.weights).filter(([name, w]) => w !== 0 || name in m.weights));
  body.counting_employment_states = [...form.querySelectorAll("input[name=counting_employment_states]:checked")].map((box) => box.value);
  return { body, empty };
}

/** Equal values: numbers, lists in any order, groups whose members are equal. */
function same(a, b) {
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x) => b.includes(x));
  if (a && typeof a === "object") return Boolean(b) && Object.keys({ ...a, ...b }).every((k) => same(a[k], b[k]));
  return a === b;
}

/** The form publishing version m.version + 1; `ctx` renders the page again once published. */
export function publishForm(m, ctx) {
  const next = m.version + 1;
  const ask = h("button", { type: "button", class: "primary", id: "min-ws-m-publish" }, t("min_ws.m.publish", { version: next }));
  const confirm = h("button", { type: "button", class: "primary", id: "min-ws-m-publish-confirm" }, t("min_ws.m.publish_confirm"));
  const unchanged = h("p", { class: "note", role: "status", id: "min-ws-m-unchanged" });
  const form = h("form", { id: "min-ws-m-form", class: "workspace-form", novalidate: true },
    h("div", { class: "field-row" },
      numberField("interval_level", t(LABELS.interval_level), m.interval_level, { step: 0.001, hint: t("min_ws.m.share_hint") }),
      satisfiedField(m.satisfied_threshold),
      numberField("alert_index_below", t(LABELS.alert_index_below), m.alert_index_below, { step: 0.1 })),
    h("div", { class: "field-row" },
      numberField("min_known_share", t(LABELS.min_known_share), m.min_known_share, { step: 0.01, hint: t("min_ws.m.share_hint") }),
      numberField("outcome_lag_days", t(LABELS.outcome_lag_days), m.outcome_lag_days, { step: 1 })),
    statesField(m.counting_employment_states || []),
    group("weights", WEIGHTED.map((name) => numberField(`weights.${name}`, t(`indicator.${name}`), m.weights[name] ?? 0, { step: 0.01 })), t("min_ws.m.weights_hint")),
    group("thresholds", THRESHOLDS.map((name) => numberField(`thresholds.${name}`, t(`min_ws.threshold.${name}`), m.thresholds[name], { step: name === "protection_width" ? 0.01 : 1 }))),
    group("rounding", ROUNDING.map((name) => numberField(`rounding.${name}`, t(`min_ws.m.${name}`), m.rounding?.[name], { step: 1 }))),
    formProblem(),
    unchanged);
  let changes = {};
  // Registered before confirmStep's own listener: with nothing changed, or a number left
  // empty, the question is not asked (stopImmediatePropagation keeps confirmStep's away).
  ask.addEventListener("click", (event) => {
    clearProblems(form);
    const { body, empty } = read(form, m);
    changes = Object.fromEntries(Object.entries(body).filter(([name, value]) => !same(value, m[name])));
    unchanged.textContent = Object.keys(changes).length ? "" : t("min_ws.m.unchanged", { version: m.version });
    if (empty.length) showProblems(form, { errors: empty.map((loc) => ({ loc, type: "missing" })) });
    if (empty.length || !Object.keys(changes).length) {
      event.stopImmediatePropagation();
      return;
    }
    const names = Object.keys(changes).map((name) => t(LABELS[name])).join("; ");
    question.querySelector("p").textContent = t("min_ws.m.publish_question", { version: next, changes: names });
  });
  const question = confirmStep({ ask, confirm, text: "", cancelText: t("min_ws.cancel"), cancelId: "min-ws-m-publish-cancel" });
  // A value changed while the question is open: it is asked again, with what is sent then.
  form.addEventListener("input", () => {
    question.hidden = true;
    ask.hidden = false;
  });
  confirm.addEventListener("click", () => submitOnce(form, confirm, async () => {
    const published = await send("POST", "/quality/methodology", changes);
    forget("/quality"); // every score is recomputed under the new version
    ctx.flash = t("min_ws.m.published", { version: published.version });
    ctx.refresh();
  }));
  form.append(ask, question);
  return form;
}
