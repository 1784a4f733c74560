// Who is at the keyboard (settings) and where they are (the route), for every
// screen.
import { createContext, useContext } from "react";
import type { Catalogs } from "../bindings/Catalogs";
import type { Settings } from "../bindings/Settings";

export type Route =
  | { screen: "dashboard" }
  | { screen: "approvals" }
  | { screen: "callbacks" }
  | { screen: "reminders" }
  | { screen: "new" }
  | { screen: "settings" }
  | { screen: "admin" }
  | { screen: "signin" }
  | { screen: "sync_issues" }
  | { screen: "complaint"; id: string };

export interface Shell {
  settings: Settings;
  /** The site's catalogs (departments, categories) with their names. */
  catalogs: Catalogs;
  route: Route;
  go: (r: Route) => void;
  /** Saves settings and applies them (language switches at once). */
  saveSettings: (s: Settings) => Promise<void>;
}

export const ShellCtx = createContext<Shell | null>(null);

export function useShell(): Shell {
  const s = useContext(ShellCtx);
  if (!s) throw new Error("useShell outside the shell");
  return s;
}
