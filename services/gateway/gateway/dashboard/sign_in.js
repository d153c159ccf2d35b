// Sign-in through the identity provider: the authorization code flow with PKCE (RFC 7636).
// The page sends the person to the provider with a challenge, comes back with a code, and the
// gateway exchanges the code (with the verifier only this tab knows) for the token the API is
// called with. The flow's secrets live in this tab's sessionStorage until it returns.

const FLOW_KEY = "educluster.sign-in";
const ID_TOKEN_KEY = "educluster.id-token";

function base64url(bytes) {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function randomString(size) {
  const bytes = new Uint8Array(size);
  crypto.getRandomValues(bytes);
  return base64url(bytes);
}

/** Where the provider sends the person back: this page, without query or fragment. */
function returnAddress() {
  return `${window.location.origin}${window.location.pathname}`;
}

/** Go to the provider's sign-in page; the current route is restored on return. */
export async function startSignIn(config) {
  const verifier = randomString(48);
  const state = randomString(16);
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  window.sessionStorage.setItem(FLOW_KEY, JSON.stringify({ verifier, state, route: window.location.hash }));
  const url = new URL(config.authorization_url);
  url.search = new URLSearchParams({
    response_type: "code",
    client_id: config.client_id,
    redirect_uri: returnAddress(),
    scope: config.scope,
    state,
    code_challenge: base64url(new Uint8Array(digest)),
    code_challenge_method: "S256",
  }).toString();
  window.location.assign(url.toString());
}

/** Back from the provider: the API token (null when this load is not a return). Throws when
 * the sign-in was refused, its state does not match, or the code is not accepted. */
export async function finishSignIn() {
  const params = new URLSearchParams(window.location.search);
  if (!params.has("code") && !params.has("error")) return null;
  const flow = JSON.parse(window.sessionStorage.getItem(FLOW_KEY) || "null");
  window.sessionStorage.removeItem(FLOW_KEY);
  window.history.replaceState(null, "", returnAddress() + (flow?.route || ""));
  if (!flow || params.get("state") !== flow.state || !params.has("code")) {
    throw new Error(params.get("error") || "state");
  }
  const response = await fetch("dashboard/token", {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({ code: params.get("code"), code_verifier: flow.verifier, redirect_uri: returnAddress() }),
  });
  if (!response.ok) throw new Error(String(response.status));
  const tokens = await response.json();
  if (tokens.id_token) window.sessionStorage.setItem(ID_TOKEN_KEY, tokens.id_token);
  return tokens.token;
}

/** Sign out at the provider too, when it has an end-session endpoint (else only here). */
export function signOutAtProvider(config) {
  const idToken = window.sessionStorage.getItem(ID_TOKEN_KEY);
  window.sessionStorage.removeItem(ID_TOKEN_KEY);
  if (!config?.end_session_url || !idToken) return false;
  const url = new URL(config.end_session_url);
  url.search = new URLSearchParams({ id_token_hint: idToken, post_logout_redirect_uri: returnAddress() }).toString();
  window.location.assign(url.toString());
  return true;
}

/** Milliseconds until the token expires (null: it does not say). */
export function msUntilExpiry(token) {
  try {
    const payload = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    const exp = JSON.parse(atob(payload)).exp;
    return typeof exp === "number" ? exp * 1000 - Date.now() : null;
  } catch {
    return null;
  }
}
