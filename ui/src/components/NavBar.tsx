// The navigation column: the screens (Alt+1..7; the configuration only
// for admins), each with the count of what
// waits there (counted by Rust: HeaderCounts), who is signed in, and the
// shortcut hint.
import type { HeaderCounts } from "../bindings/HeaderCounts";
import type { Role } from "../bindings/Role";
import { type Key, useI18n } from "../i18n";
import { api } from "../lib/api";
import { complaintsChanged, remindersChanged } from "../lib/changes";
import { type Route, useShell } from "../lib/context";
import { personName } from "../lib/names";
import { useLoad } from "../lib/useLoad";
import { SyncIndicator } from "./SyncIndicator";

export type NavScreen = Exclude<Route["screen"], "complaint" | "signin" | "sync_issues">;

/** The screens in the navigation, in their Alt+digit order, and what each counts. */
export const NAV: { screen: NavScreen; label: Key; count?: keyof HeaderCounts }[] = [
  { screen: "dashboard", label: "nav.dashboard" },
  { screen: "approvals", label: "nav.approvals", count: "approvals_waiting" },
  { screen: "callbacks", label: "nav.callbacks", count: "callbacks_due_24h" },
  { screen: "reminders", label: "nav.reminders", count: "reminders" },
  { screen: "new", label: "nav.new" },
  { screen: "settings", label: "nav.settings" },
  { screen: "admin", label: "nav.admin" },
];

/** The screens `role` sees: the configuration only for admins. */
export function navFor(role: Role | undefined) {
  return NAV.filter((n) => n.screen !== "admin" || role === "admin");
}

export function NavBar() {
  const { t } = useI18n();
  const { route, go, settings, catalogs } = useShell();
  // The site's name for the signed-in user, when it has one and the
  // account itself gives none.
  const shownName =
    settings.display_name === settings.user ? personName(catalogs, settings.user) : settings.display_name;
  const { data: counts } = useLoad(
    () => api.counts(),
    [],
    (c) => complaintsChanged(c) || remindersChanged(c),
  );
  return (
    <nav className="nav" aria-label={t("nav.label")}>
      <div className="brand">{t("app.title")}</div>
      <SyncIndicator />
      {navFor(settings.role).map((n, i) => {
        const count = n.count && counts ? counts[n.count] : 0;
        return (
          <button
            key={n.screen}
            type="button"
            className={route.screen === n.screen ? "active" : ""}
            aria-current={route.screen === n.screen ? "page" : undefined}
            onClick={() => go({ screen: n.screen })}
            data-testid={`nav-${n.screen}`}
            title={`Alt+${i + 1}`}
          >
            {t(n.label)}
            {count > 0 && (
              <span className="nav-count" data-testid={`nav-count-${n.screen}`} aria-label={t("nav.count", { n: count })}>
                {count > 99 ? "99+" : count}
              </span>
            )}
          </button>
        );
      })}
      <div className="whoami" data-testid="whoami">
        {t("common.user", { name: shownName, role: t(`role.${settings.role}`) })}
      </div>
      <div className="shortcuts">{t("nav.shortcuts")}</div>
    </nav>
  );
}
