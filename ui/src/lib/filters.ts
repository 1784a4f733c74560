// The dashboard's filter form and how it becomes a DashboardQuery for the
// Rust side, plus small label helpers shared by the list screens.
import type { ComplaintKind } from "../bindings/ComplaintKind";
import type { ComplaintState } from "../bindings/ComplaintState";
import type { DashboardQuery } from "../bindings/DashboardQuery";
import type { T } from "../i18n";

/** What the filter bar holds; "" means "any". */
export interface DashboardFilters {
  state: ComplaintState | "";
  owner: string;
  department: string;
  severity: number | "";
  kind: ComplaintKind | "";
  breachedOnly: boolean;
  atRiskOnly: boolean;
  search: string;
}

/**
 * The owner filter's value for "nobody owns it". No user name can hold a
 * control character (the Rust side refuses them), so it never clashes.
 */
export const UNASSIGNED = "\u0000unassigned";

export const NO_FILTERS: DashboardFilters = {
  state: "",
  owner: "",
  department: "",
  severity: "",
  kind: "",
  breachedOnly: false,
  atRiskOnly: false,
  search: "",
};

/** Every state, in lifecycle order (closed ones are listed only on request). */
export const STATES: readonly ComplaintState[] = [
  "recorded",
  "validated",
  "invalid",
  "assigned",
  "analysed",
  "awaiting_approval",
  "remedy_agreed",
  "implemented",
  "resolved",
  "followed_up",
  "reviewed",
  "closed",
];

export const KINDS: readonly ComplaintKind[] = ["emotion_driven", "demand_driven", "compound"];

export const SEVERITIES: readonly number[] = [4, 3, 2, 1];

export function isFiltered(f: DashboardFilters): boolean {
  return (
    f.state !== "" ||
    f.owner !== "" ||
    f.department !== "" ||
    f.severity !== "" ||
    f.kind !== "" ||
    f.breachedOnly ||
    f.atRiskOnly ||
    f.search.trim() !== ""
  );
}

/** The query for the Rust side; `nowIso` is the instant "breached" is judged at. */
export function toQuery(f: DashboardFilters, nowIso: string): DashboardQuery {
  const search = f.search.trim();
  return {
    states: f.state === "" ? [] : [f.state],
    owner: f.owner === "" || f.owner === UNASSIGNED ? null : f.owner,
    department: f.department === "" ? null : f.department,
    severities: f.severity === "" ? [] : [f.severity],
    kinds: f.kind === "" ? [] : [f.kind],
    breached_only: f.breachedOnly,
    at_risk_only: f.atRiskOnly,
    unassigned_only: f.owner === UNASSIGNED,
    search: search === "" ? null : search,
    now: nowIso,
    limit: null,
  };
}

/** A severity in words, "High" for 3, or with its number, "3 · High" (the
 * complaint page). Out-of-range levels are clamped to 1-4. */
export function severityLabel(t: T, level: number, withLevel = false): string {
  const n = Math.min(4, Math.max(1, Math.round(level))) as 1 | 2 | 3 | 4;
  const name = t(`severity.${n}`);
  return withLevel ? t("complaint.severity_value", { level: n, label: name }) : name;
}
