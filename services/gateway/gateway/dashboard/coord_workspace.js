// The cluster coordinator's workspace (#/workspace/cluster…): the clusters an institution or
// employer coordinates (docs/access.md: the cluster's coordinator_id is its organization), each
// one's members with who left and when, its activities (coord_activities.js), its strategy
// goals (coord_goals.js) and a link to its published figures (#/cluster/<id>). Members join
// and leave by the ministry's or the region's authority's decision: shown, never offered.

import { getAll, names, organization, tokenOrg, tokenRole } from "./api.js";
import { h, message, pageTitle, panel, scrollBox } from "./components.js";
import { flash } from "./employer.js";
import { localizedName, t } from "./i18n.js";

function coordinatorRole() {
  return ["institution", "employer"].includes(tokenRole()) && Boolean(tokenOrg());
}

const byName = (a, b) => a.name.localeCompare(b.name);

let navAsked = 0; // the latest showCoordinatorNav: an earlier answer (another token's) is dropped

/** The header's link to the workspace: only for an organization that coordinates a cluster
 * (hidden when the registry cannot say). */
export async function showCoordinatorNav() {
  const asked = ++navAsked;
  const coordinates = await coordinatedClusters().then((clusters) => clusters.length > 0, () => false);
  const link = document.getElementById("nav-coordinator");
  if (link && asked === navAsked) link.hidden = !coordinates;
}

/** The clusters the signed-in organization coordinates, by name (the registry filters them). */
export async function coordinatedClusters() {
  if (!coordinatorRole()) return [];
  const clusters = await getAll(`/clusters?coordinator_id=${encodeURIComponent(tokenOrg())}`);
  return clusters.sort(byName);
}

/** What every page of one cluster reads: the clusters coordinated, the cluster (null when the
 * organization does not coordinate it) and its memberships, past ones too. */
export async function loadCluster(id) {
  const clusters = await coordinatedClusters();
  const cluster = clusters.find((c) => c.id === id) || null;
  if (!cluster) return { clusters, cluster };
  const memberships = await getAll(`/clusters/${encodeURIComponent(id)}/members?include_history=true`);
  await Promise.all(memberships.map((m) => organization(m.organization_id)));
  const current = memberships.filter((m) => !m.left_on);
  return { clusters, cluster, memberships, current };
}

export function orgName(id) {
  return names.organizations.get(id)?.name || `${id.slice(0, 8)}…`;
}

export function orgKind(id) {
  return names.organizations.get(id)?.kind || null;
}

/** The page for whoever coordinates nothing here (or not this cluster). */
export function notCoordinator(clusters = []) {
  const key = clusters.length ? "coord_ws.not_this_cluster" : "coord_ws.only";
  return [pageTitle(t("coord_ws.title")), message(t(key), "message empty coord-refused")];
}

/** Title, sections, the published figures' link and, with several clusters, the picker. */
export function coordHeader(ws, { active, ctx }) {
  const { cluster, clusters } = ws;
  const base = `#/workspace/cluster/${encodeURIComponent(cluster.id)}`;
  const tabs = [
    ["members", base, "coord_ws.tab_members"],
    ["activities", `${base}/activities`, "coord_ws.tab_activities"],
    ["goals", `${base}/goals`, "coord_ws.tab_goals"],
  ];
  const region = localizedName(names.regions.get(cluster.region_code)) || cluster.region_code;
  const subtitle = `${cluster.name} · ${region} · ${t(`coord_ws.status.${cluster.status}`)}`;
  const suffix = active === "members" ? "" : `/${active}`;
  const picker = clusters.length > 1
    ? [h("label", { class: "control workspace-period", for: "coord-cluster" }, t("coord_ws.cluster")),
      h("select", { id: "coord-cluster", on: { change: (event) => ctx.navigate(`#/workspace/cluster/${encodeURIComponent(event.target.value)}${suffix}`) } },
        clusters.map((c) => h("option", { value: c.id, selected: c.id === cluster.id }, c.name)))]
    : null;
  return h("div", { class: "workspace-header" },
    pageTitle(t("coord_ws.title"), subtitle),
    h("nav", { class: "workspace-tabs", "aria-label": t("coord_ws.sections") },
      tabs.map(([name, href, key]) => h("a", { href, class: name === active ? "active" : null, "aria-current": name === active ? "page" : null, "data-tab": name }, t(key))),
      h("a", { href: `#/cluster/${encodeURIComponent(cluster.id)}`, "data-tab": "figures" }, t("coord_ws.tab_figures"))),
    picker);
}

/** #/workspace/cluster: the one cluster coordinated, or the list to pick one from. */
export async function coordinatorView(params, ctx) {
  const clusters = await coordinatedClusters();
  if (!clusters.length) return notCoordinator();
  if (clusters.length === 1) return membersView({ id: clusters[0].id }, ctx);
  const rows = clusters.map((c) => h("li", { "data-cluster": c.id },
    h("a", { href: `#/workspace/cluster/${encodeURIComponent(c.id)}` }, c.name),
    ` · ${localizedName(names.regions.get(c.region_code)) || c.region_code} · ${t(`coord_ws.status.${c.status}`)}`));
  return h("div", { class: "coord-workspace" },
    pageTitle(t("coord_ws.title")),
    panel(t("coord_ws.pick_title"), [h("p", { class: "explain" }, t("coord_ws.pick_explain")), h("ul", { class: "coord-clusters" }, rows)], { className: "coord-pick-panel" }));
}

/** #/workspace/cluster/<id>: its members now, and those who left. */
export async function membersView(params, ctx) {
  const ws = await loadCluster(params.id);
  if (!ws.cluster) return notCoordinator(ws.clusters);
  const past = ws.memberships.filter((m) => m.left_on);
  return h("div", { class: "coord-workspace", "data-cluster": ws.cluster.id },
    coordHeader(ws, { active: "members", ctx }),
    flash(ctx), // the message a change left, shown once
    panel(t("coord_ws.members"), [
      h("p", { class: "explain" }, t("coord_ws.members_explain")),
      membersTable(ws.current, false),
      h("p", { class: "note coord-membership-note" }, t("coord_ws.membership_note")),
    ], { className: "coord-members-panel" }),
    panel(t("coord_ws.left_title"), [
      past.length ? membersTable(past, true) : message(t("coord_ws.none_left"), "message empty"),
    ], { className: "coord-left-panel" }),
    panel(t("coord_ws.figures_title"), [
      h("p", { class: "explain" }, t("coord_ws.figures_explain")),
      h("a", { href: `#/cluster/${encodeURIComponent(ws.cluster.id)}`, class: "coord-figures" }, t("coord_ws.figures_link", { name: ws.cluster.name })),
    ], { className: "coord-figures-panel" }));
}

function contact(id) {
  const record = names.organizations.get(id);
  const parts = [record?.contact_email, record?.contact_phone].filter(Boolean);
  return parts.length ? parts.join(" · ") : "—";
}

function membersTable(memberships, left) {
  const headings = ["coord_ws.member", "coord_ws.role", "coord_ws.joined", left ? "coord_ws.left" : "coord_ws.contact"];
  const rows = [...memberships]
    .sort((a, b) => orgName(a.organization_id).localeCompare(orgName(b.organization_id)))
    .map((m) => h("tr", { "data-id": m.organization_id, "data-role": m.role },
      h("th", { scope: "row" }, orgName(m.organization_id)),
      h("td", {}, t(`role.${m.role}`)),
      h("td", {}, m.joined_on),
      h("td", { class: left ? "left-on" : "contact" }, left ? m.left_on : contact(m.organization_id))));
  return scrollBox(t(left ? "coord_ws.left_title" : "coord_ws.members"), h("table", { class: left ? "coord-members left" : "coord-members" },
    h("thead", {}, h("tr", {}, headings.map((key) => h("th", { scope: "col" }, t(key))))),
    h("tbody", {}, rows)));
}
