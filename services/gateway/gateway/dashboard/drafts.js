// An assessment as the page holds it while the employer fills it in: a flat map of form values
// ("rating:<code>" → "1".."5", "not_observed" or "not_required"; "overall_satisfaction",
// "preparedness" → "1".."5"; "would_hire_again" → "yes" or "no"; "comment"). Drafts are kept
// in this browser's localStorage per employer, employee and period, saved as the employer
// goes, never sent until submitted, and removed once the API has the assessment.

const PREFIX = "educluster.draft";
// Both are a null rating in the API; `not_required` lists the codes of the second.
export const NOT_RATED = ["not_observed", "not_required"];

export function draftKey(employer, graduate, period) {
  return `${PREFIX}.${employer}.${graduate}.${period}`;
}

/** The saved draft ({values, saved_at}) or null. */
export function readDraft(key) {
  try {
    const draft = JSON.parse(window.localStorage.getItem(key) || "null");
    return draft && typeof draft.values === "object" ? draft : null;
  } catch {
    return null;
  }
}

/** Keep `values` (an empty form removes the draft); returns the time it was saved. */
export function saveDraft(key, values) {
  const kept = Object.fromEntries(Object.entries(values).filter(([, value]) => value !== "" && value !== undefined));
  if (!Object.keys(kept).length) {
    dropDraft(key);
    return null;
  }
  const saved_at = new Date().toISOString();
  try {
    window.localStorage.setItem(key, JSON.stringify({ values: kept, saved_at }));
  } catch {
    return null; // storage full or refused: the form still works, without a draft
  }
  return saved_at;
}

export function dropDraft(key) {
  try {
    window.localStorage.removeItem(key);
  } catch {
    // Nothing kept.
  }
}

/** The API body's content (ratings, not required, overall satisfaction, preparedness, would
 * hire again, comment) of form values; what is not filled in is left out, for the API to name. */
export function contentOf(values) {
  const ratings = {};
  const notRequired = [];
  for (const [name, value] of Object.entries(values)) {
    if (!name.startsWith("rating:") || !value) continue;
    const code = name.slice("rating:".length);
    ratings[code] = /^[1-5]$/.test(value) ? Number(value) : null;
    if (value === "not_required") notRequired.push(code);
  }
  const body = { ratings, not_required: notRequired };
  for (const name of ["overall_satisfaction", "preparedness"]) {
    if (values[name]) body[name] = Number(values[name]);
  }
  if (values.would_hire_again) body.would_hire_again = values.would_hire_again === "yes";
  const comment = (values.comment || "").trim();
  if (comment) body.comment = comment;
  return body;
}

/** Form values of a stored assessment (a null rating reads back as "not required" where the
 * API lists its code in `not_required`, as "not observed" otherwise). */
export function valuesOf(assessment) {
  const values = {};
  const notRequired = new Set(assessment.not_required || []);
  for (const [code, rating] of Object.entries(assessment.ratings || {})) {
    const unrated = notRequired.has(code) ? "not_required" : "not_observed";
    values[`rating:${code}`] = rating === null ? unrated : String(rating);
  }
  values.overall_satisfaction = String(assessment.overall_satisfaction);
  values.preparedness = String(assessment.preparedness);
  values.would_hire_again = assessment.would_hire_again ? "yes" : "no";
  if (assessment.comment) values.comment = assessment.comment;
  return values;
}
