// Forms of the workspaces: labelled fields, each with a place for what the API says is wrong
// with it. The API answers a refusal with an RFC 9457 problem whose `errors` name the field
// by `loc` (["body", "start_date"], ["body", "ratings", "<code>"]); each is shown next to the
// element carrying that name in `data-field`, and the rest above the form's buttons.

import { ApiError } from "./api.js";
import { h } from "./components.js";
import { t } from "./i18n.js";

let counter = 0;

/** A new element id, unique in the page. */
export function uid(prefix = "f") {
  counter += 1;
  return `${prefix}-${counter}`;
}

function errorSlot(id) {
  return h("p", { class: "field-error", id, hidden: true });
}

/** A control with its label, an optional hint and its error slot; `name`: the API's field. */
export function field({ name, label, control, hint }) {
  if (!control.id) control.id = uid();
  const hintId = hint ? `${control.id}-hint` : null;
  const errorId = `${control.id}-error`;
  control.setAttribute("aria-describedby", [hintId, errorId].filter(Boolean).join(" "));
  return h(
    "div",
    { class: "field", "data-field": name },
    h("label", { for: control.id }, label),
    control,
    hint ? h("p", { class: "hint", id: hintId }, hint) : null,
    errorSlot(errorId),
  );
}

/** Radio buttons in a fieldset: `options` are [value, label] pairs. */
export function choices({ name, field: fieldName, legend, options, description, className = "" }) {
  const errorId = uid("e");
  const descriptionId = description ? uid("d") : null;
  return h(
    "fieldset",
    {
      class: `choices ${className}`.trim(),
      "data-field": fieldName || name,
      "aria-describedby": [descriptionId, errorId].filter(Boolean).join(" "),
    },
    h("legend", {}, legend),
    description ? h("p", { class: "description", id: descriptionId }, description) : null,
    h(
      "div",
      { class: "options" },
      options.map(([value, label]) => {
        const id = uid("o");
        return h("span", { class: "option" }, h("input", { type: "radio", id, name, value }), h("label", { for: id }, label));
      }),
    ),
    errorSlot(errorId),
  );
}

/** The place for what the API said that names no field of the form. */
export function formProblem() {
  return h("p", { class: "form-problem error", role: "alert", hidden: true });
}

/** The text of one entry of a problem's `errors`, in the page's language where it is known. */
export function problemText(item) {
  if (item.type === "missing") return t("form.required");
  return item.msg || t("form.invalid");
}

/** The element of `root` whose `data-field` the loc names, the most specific first. */
export function slotFor(root, loc) {
  const path = loc[0] === "body" ? loc.slice(1) : loc;
  const slots = [...root.querySelectorAll("[data-field]")];
  for (let size = path.length; size > 0; size -= 1) {
    const name = path.slice(0, size).join(".");
    const slot = slots.find((node) => node.dataset.field === name);
    if (slot) return slot;
  }
  return null;
}

/** Mark `slot` as refused with `text` beside it. */
export function markInvalid(slot, text) {
  slot.classList.add("invalid");
  const error = slot.querySelector(".field-error");
  if (error) {
    error.textContent = error.hidden ? text : `${error.textContent} ${text}`;
    error.hidden = false;
  }
  for (const control of slot.querySelectorAll("input, select, textarea")) control.setAttribute("aria-invalid", "true");
  if (slot.matches("input, select, textarea")) slot.setAttribute("aria-invalid", "true");
}

export function clearProblems(root) {
  for (const slot of root.querySelectorAll(".invalid")) slot.classList.remove("invalid");
  for (const error of root.querySelectorAll(".field-error")) {
    error.textContent = "";
    error.hidden = true;
  }
  for (const control of root.querySelectorAll("[aria-invalid]")) control.removeAttribute("aria-invalid");
  for (const problem of root.querySelectorAll(".form-problem")) {
    problem.textContent = "";
    problem.hidden = true;
  }
}

/** Show an API refusal on `form`: each error beside its field, the rest in the form's problem
 * line; the first refused control gets the focus. */
export function showProblems(form, error) {
  clearProblems(form);
  const unplaced = [];
  let first = null;
  for (const item of error.errors) {
    const slot = slotFor(form, item.loc || []);
    if (slot) {
      markInvalid(slot, problemText(item));
      first = first || slot;
    } else {
      unplaced.push(problemText(item));
    }
  }
  const line = form.querySelector(".form-problem");
  if (line) {
    line.textContent = unplaced.length ? unplaced.join(" ") : first ? t("form.check_fields") : t("form.refused", { detail: error.message });
    line.hidden = false;
  }
  const control = first?.querySelector("input, select, textarea") || line;
  if (control) {
    if (control === line) line.setAttribute("tabindex", "-1");
    control.focus();
  }
}

/** Run `action` for a submitted form once at a time: its button is disabled meanwhile (a
 * second click does nothing), and an API refusal is shown on the form. */
export async function submitOnce(form, button, action) {
  if (button.disabled) return;
  clearProblems(form);
  button.disabled = true;
  form.setAttribute("aria-busy", "true");
  try {
    await action();
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    showProblems(form, error);
  } finally {
    button.disabled = false;
    form.removeAttribute("aria-busy");
  }
}

/** An action asked once more in the page: `ask` shows the question (`text`) with `confirm`
 * and a cancel button (`cancelText`), cancel goes back; returns the question's element. */
export function confirmStep({ ask, confirm, text, cancelText, cancelId }) {
  const cancel = h("button", { type: "button", id: cancelId }, cancelText);
  const questionId = uid("q");
  const question = h("div", { class: "confirm", hidden: true, role: "group", "aria-labelledby": questionId },
    h("p", { id: questionId }, text), confirm, " ", cancel);
  ask.addEventListener("click", () => {
    ask.hidden = true;
    question.hidden = false;
    confirm.focus();
  });
  cancel.addEventListener("click", () => {
    question.hidden = true;
    ask.hidden = false;
    ask.focus();
  });
  return question;
}
