// Ordering of dashboard rows on the UI side. The Rust side already returns
// rows soonest-due first; this lets the user re-order by a column without
// another round trip, and keeps the default order identical to the Rust one.
import type { DashboardLine } from "../bindings/DashboardLine";

export type SortKey = "due" | "number" | "customer" | "severity" | "state" | "received" | "owner" | "department";
export type SortDir = "asc" | "desc";
export interface SortSpec {
  key: SortKey;
  dir: SortDir;
}

/** Soonest due first: the order the dashboard opens with. */
export const DEFAULT_SORT: SortSpec = { key: "due", dir: "asc" };

/** The direction a column sorts in when first clicked. */
export function firstDir(key: SortKey): SortDir {
  // Most urgent first: a higher severity number means more urgent.
  return key === "severity" ? "desc" : "asc";
}

/** Clicking a column header: the same column flips, another starts fresh. */
export function nextSort(current: SortSpec, key: SortKey): SortSpec {
  if (current.key === key) return { key, dir: current.dir === "asc" ? "desc" : "asc" };
  return { key, dir: firstDir(key) };
}

type Keyed = { row: DashboardLine; primary: number | string | null; received: number };

function primaryOf(row: DashboardLine, key: SortKey): number | string | null {
  switch (key) {
    case "due":
      // A closed row has nothing due: it sorts by when it closed, the
      // latest first (the order the Rust side returns them in).
      if (row.closed_ms !== undefined) return -row.closed_ms;
      return row.due_ms ?? null;
    case "number":
      return row.number;
    case "customer":
      return row.customer_name;
    case "severity":
      return row.severity;
    case "state":
      return row.state;
    case "received":
      return row.received_ms;
    case "owner":
      return row.owner ?? null;
    case "department":
      return row.department ?? null;
  }
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

function compareValues(a: number | string, b: number | string): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  return collator.compare(String(a), String(b));
}

/**
 * A sorted copy of `rows`. Missing values (nothing due) always go last, in
 * either direction; ties fall back to the oldest received first, then the
 * number, so the order is stable across reloads.
 */
export function sortRows(rows: readonly DashboardLine[], spec: SortSpec = DEFAULT_SORT): DashboardLine[] {
  const sign = spec.dir === "asc" ? 1 : -1;
  const keyed: Keyed[] = rows.map((row) => ({
    row,
    primary: primaryOf(row, spec.key),
    received: row.received_ms,
  }));
  keyed.sort((a, b) => {
    if (a.primary === null || b.primary === null) {
      if (a.primary === null && b.primary !== null) return 1;
      if (a.primary !== null && b.primary === null) return -1;
    } else {
      const c = compareValues(a.primary, b.primary) * sign;
      if (c !== 0) return c;
    }
    if (a.received !== b.received) return a.received - b.received;
    return collator.compare(a.row.number, b.row.number);
  });
  return keyed.map((k) => k.row);
}
