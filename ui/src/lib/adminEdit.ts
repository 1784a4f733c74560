// Edits of the configuration screen, as pure functions over the parts it
// edits (catalogs and SLA policies). Whether the result holds together
// (codes, calendars) is Rust's to decide when it is saved; these only keep
// the form's own bookkeeping right.
import type { AuthorityMatrix } from "../bindings/AuthorityMatrix";
import type { CatalogEntry } from "../bindings/CatalogEntry";
import type { Catalogs } from "../bindings/Catalogs";
import type { ClockTarget } from "../bindings/ClockTarget";
import type { NotificationPolicy } from "../bindings/NotificationPolicy";
import type { SlaPolicy } from "../bindings/SlaPolicy";

/** What the screen edits. */
export interface Draft {
  catalogs: Catalogs;
  policies: SlaPolicy[];
  authority: AuthorityMatrix;
  notifications: NotificationPolicy;
}

/** The clocks a policy may set a target for, in the order shown. */
export const POLICY_CLOCKS = ["first_response", "progress_cadence", "resolution", "approval", "callback"] as const;
export type PolicyClock = (typeof POLICY_CLOCKS)[number];

export const sameDraft = (a: Draft, b: Draft) => JSON.stringify(a) === JSON.stringify(b);

export function newEntry(code: string, zh: string, en: string): CatalogEntry {
  return { code: code.trim(), names: { zh_cn: zh.trim(), en: en.trim() }, enabled: true, categories: [] };
}

/** Every code in the catalogs of one kind, to refuse a duplicate. */
function codes(catalogs: Catalogs, kind: "department" | "category"): Set<string> {
  const list =
    kind === "department" ? catalogs.departments : catalogs.categories.flatMap((g) => [g, ...g.categories]);
  return new Set(list.map((e) => e.code));
}

/** Why an entry cannot be added (a message key), or null. */
export function entryProblem(
  catalogs: Catalogs,
  kind: "department" | "category",
  e: CatalogEntry,
  group?: string,
): "admin.error.code" | "admin.error.names" | "admin.error.child_code" | null {
  if (e.code === "" || /\s/.test(e.code) || codes(catalogs, kind).has(e.code)) return "admin.error.code";
  if (group !== undefined && !e.code.startsWith(`${group}.`)) return "admin.error.child_code";
  if (e.names.zh_cn === "" || e.names.en === "") return "admin.error.names";
  return null;
}

export function addDepartment(c: Catalogs, e: CatalogEntry): Catalogs {
  return { ...c, departments: [...c.departments, e] };
}

export function addGroup(c: Catalogs, e: CatalogEntry): Catalogs {
  return { ...c, categories: [...c.categories, e] };
}

export function addCategory(c: Catalogs, group: string, e: CatalogEntry): Catalogs {
  return {
    ...c,
    categories: c.categories.map((g) => (g.code === group ? { ...g, categories: [...g.categories, e] } : g)),
  };
}

/** Replaces the entry with `code` (at either level) by `change(entry)`. */
export function updateEntry(
  c: Catalogs,
  kind: "department" | "category",
  code: string,
  change: (e: CatalogEntry) => CatalogEntry,
): Catalogs {
  const one = (e: CatalogEntry) => (e.code === code ? change(e) : e);
  if (kind === "department") return { ...c, departments: c.departments.map(one) };
  return { ...c, categories: c.categories.map((g) => ({ ...one(g), categories: g.categories.map(one) })) };
}

/** Hours as the form shows them: "" for no target. */
export function hoursText(t: ClockTarget | null): string {
  if (!t) return "";
  const h = t.seconds / 3600;
  return Number.isInteger(h) ? String(h) : String(Math.round(h * 100) / 100);
}

/** A typed number of hours as seconds; null for empty, undefined when not a number of hours. */
export function parseHours(text: string): number | null | undefined {
  const s = text.trim().replace(",", ".");
  if (s === "") return null;
  if (!/^\d+(\.\d+)?$/.test(s)) return undefined;
  const h = Number(s);
  if (h > 8760) return undefined;
  return Math.round(h * 3600);
}

/** The policy with `clock`'s target set from typed hours (empty removes it). */
export function setTarget(p: SlaPolicy, clock: PolicyClock, seconds: number | null, calendar: string): SlaPolicy {
  return { ...p, [clock]: seconds === null ? null : { seconds, calendar } };
}

/** A policy for every complaint with no targets yet. */
export function newPolicy(name: string): SlaPolicy {
  return {
    name: name.trim(),
    when: { kinds: [], severities: [], channels: [], category_prefix: null, public_exposure: null },
    first_response: null,
    progress_cadence: null,
    resolution: null,
    approval: null,
    callback: null,
    warn_at_permille: null,
  };
}

/** Whether a policy applies to every complaint (nothing in its `when`). */
export function appliesToAll(p: SlaPolicy): boolean {
  const w = p.when;
  return (
    w.kinds.length === 0 &&
    w.severities.length === 0 &&
    w.channels.length === 0 &&
    w.category_prefix === null &&
    w.public_exposure === null
  );
}
