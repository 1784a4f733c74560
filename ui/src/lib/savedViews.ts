// Saved dashboard views: what the filter bar and the sort hold, under a name.
// The Rust side stores them per user as given (bounded); reading one back
// takes only the fields the dashboard knows, with the right types, so a view
// saved by an older or newer console never breaks the filter bar.
import type { SavedView } from "../bindings/SavedView";
import { KINDS, NO_FILTERS, SEVERITIES, STATES, UNASSIGNED, type DashboardFilters } from "./filters";
import { DEFAULT_SORT, type SortKey, type SortSpec } from "./sort";

export interface ViewState {
  filters: DashboardFilters;
  sort: SortSpec;
}

const SORT_KEYS: readonly SortKey[] = ["due", "number", "customer", "severity", "state", "received", "owner", "department"];

export function toSaved(name: string, state: ViewState): SavedView {
  return { name: name.trim(), view: { filters: state.filters, sort: state.sort } };
}

function pick<T>(value: unknown, allowed: readonly T[], fallback: T): T {
  return allowed.includes(value as T) ? (value as T) : fallback;
}

const str = (v: unknown): string => (typeof v === "string" ? v : "");

/** The state a saved view holds; unknown or mistyped fields fall back to "no filter". */
export function fromSaved(saved: SavedView): ViewState {
  const view = (typeof saved.view === "object" && saved.view !== null ? saved.view : {}) as Record<string, unknown>;
  const f = (typeof view.filters === "object" && view.filters !== null ? view.filters : {}) as Record<string, unknown>;
  const s = (typeof view.sort === "object" && view.sort !== null ? view.sort : {}) as Record<string, unknown>;
  const owner = str(f.owner);
  return {
    filters: {
      ...NO_FILTERS,
      state: pick(f.state, STATES, ""),
      owner: owner === UNASSIGNED || !/[\u0000-\u001f]/.test(owner) ? owner : "",
      department: str(f.department),
      severity: typeof f.severity === "number" && SEVERITIES.includes(f.severity) ? f.severity : "",
      kind: pick(f.kind, KINDS, ""),
      breachedOnly: f.breachedOnly === true,
      atRiskOnly: f.atRiskOnly === true && f.breachedOnly !== true,
      search: str(f.search),
    },
    sort: {
      key: pick(s.key, SORT_KEYS, DEFAULT_SORT.key),
      dir: s.dir === "desc" ? "desc" : s.dir === "asc" ? "asc" : DEFAULT_SORT.dir,
    },
  };
}

/** The list with `view` added, or replacing the one of the same name. */
export function upsertView(list: readonly SavedView[], view: SavedView): SavedView[] {
  const key = view.name.trim().toLowerCase();
  const i = list.findIndex((v) => v.name.trim().toLowerCase() === key);
  if (i < 0) return [...list, view];
  return list.map((v, j) => (j === i ? view : v));
}
