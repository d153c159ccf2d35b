// #/unsubscribe?token=…: where a reminder e-mail's link leads. One button stops the reminders,
// no sign-in needed; a POST, so a mail scanner that opens the link unsubscribes nobody.

import { ApiError, send } from "./api.js";
import { h } from "./components.js";
import { t } from "./i18n.js";

export function unsubscribeView(params) {
  const token = params.token || "";
  const outcome = h("p", { id: "unsubscribe-outcome", role: "status" });
  const button = h("button", { type: "button", id: "unsubscribe" }, t("unsubscribe.button"));
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      await send("POST", `/reminders/unsubscribe?token=${encodeURIComponent(token)}`);
      outcome.dataset.outcome = "done";
      outcome.textContent = t("unsubscribe.done");
    } catch (error) {
      const unknown = error instanceof ApiError && [404, 422].includes(error.status);
      outcome.dataset.outcome = "failed";
      outcome.textContent = unknown ? t("unsubscribe.unknown") : t("status.error", { detail: error.message });
      button.disabled = false;
    }
  });
  return [h("h2", {}, t("unsubscribe.title")), h("p", {}, t("unsubscribe.intro")), button, outcome];
}
