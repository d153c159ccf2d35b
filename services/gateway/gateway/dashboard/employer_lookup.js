// Finding the graduate an employer employs by the person's national identifier (PINFL), to
// claim the employment. The registry answers exact matches only (one per degree of that
// person) and audits each lookup; the identifier travels in a POST body, never in a URL.

import { organization, program, send } from "./api.js";
import { h, message } from "./components.js";
import { field, formProblem, submitOnce, uid } from "./forms.js";
import { t } from "./i18n.js";

/** The lookup form and the place its matches appear; picking a match calls `choose` with
 * its graduate id (the only match is picked at once). */
export function lookupSection(choose) {
  const nationalId = h("input", { type: "text", inputmode: "numeric", autocomplete: "off", spellcheck: "false", maxlength: 20 });
  const button = h("button", { type: "submit" }, t("employer.lookup_submit"));
  const matches = h("div", { id: "lookup-matches", "aria-live": "polite" });
  const form = h("form", { id: "lookup-form", class: "workspace-form", novalidate: true },
    field({ name: "national_id", label: t("employer.lookup_national_id"), control: nationalId, hint: t("employer.lookup_hint") }),
    formProblem(),
    h("div", { class: "buttons" }, button));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    matches.replaceChildren();
    submitOnce(form, button, async () => {
      // Spaces (as printed on the passport) are dropped; anything else is the API's to refuse.
      const found = await send("POST", "/graduates/lookup", { national_id: nationalId.value.replace(/\s+/g, "") });
      matches.replaceChildren(await matchChoices(found.items, choose));
    });
  });
  return [form, matches];
}

async function matchChoices(items, choose) {
  if (!items.length) return message(t("employer.lookup_none"), "message empty");
  const labels = await Promise.all(items.map(matchLabel));
  const name = uid("match");
  const options = items.map((item, i) => {
    const id = uid("o");
    const radio = h("input", { type: "radio", id, name, value: item.graduate_id, checked: items.length === 1, on: { change: () => choose(item.graduate_id) } });
    return h("span", { class: "option", "data-graduate": item.graduate_id }, radio, h("label", { for: id }, labels[i]));
  });
  if (items.length === 1) choose(items[0].graduate_id);
  return h("fieldset", { class: "choices lookup-matches" },
    h("legend", {}, t(items.length === 1 ? "employer.lookup_one" : "employer.lookup_many", { count: items.length })),
    h("div", { class: "options" }, options));
}

/** "Institution — program, year", with names where the registry gives them. */
async function matchLabel(item) {
  const [school, course] = await Promise.all([organization(item.institution_id), program(item.program_id)]);
  return t("employer.lookup_match", {
    institution: school?.name || item.institution_id.slice(0, 8),
    program: course ? `${course.code} ${course.name}` : item.program_id.slice(0, 8),
    year: item.graduation_year,
  });
}
