// Edits of the configuration screen, as pure functions over the parts it
// edits (catalogs and SLA policies). Whether the result holds together
// (codes, calendars) is Rust's to decide when it is saved; these only keep
// the form's own bookkeeping right.
import type { AuthorityMatrix } from "../bindings/AuthorityMatrix";
import type { CalendarSpec } from "../bindings/CalendarSpec";
import type { CallbackPolicy } from "../bindings/CallbackPolicy";
import type { RepeatPolicy } from "../bindings/RepeatPolicy";
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
  calendars: Record<string, CalendarSpec>;
  callbacks: CallbackPolicy;
  repeats: RepeatPolicy;
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

// ------------------------------------------------------------ calendars

export type Window = [string, string];
export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Windows as the form shows them: "09:00-12:00, 13:00-18:00"; "" when closed. */
export function windowsText(ws: readonly Window[] | undefined): string {
  return (ws ?? []).map(([a, b]) => `${a}-${b}`).join(", ");
}

/**
 * Typed windows: comma-separated "start-end" pairs of times (an empty text
 * is a closed day); null when the text is not such a list. Whether the
 * times themselves are valid is Rust's to say when the configuration is
 * saved.
 */
export function parseWindows(text: string): Window[] | null {
  const t = text.trim();
  if (t === "") return [];
  const out: Window[] = [];
  for (const part of t.split(/[,，;；]/)) {
    const m = /^\s*(\d{1,2}:\d{2})\s*[-–~]\s*(\d{1,2}:\d{2})\s*$/.exec(part);
    if (!m) return null;
    out.push([m[1]!.padStart(5, "0"), m[2]!.padStart(5, "0")]);
  }
  return out;
}

/** Holidays as one date per line. */
export function parseDates(text: string): string[] | null {
  const dates = text
    .split(/\s+/)
    .map((d) => d.trim())
    .filter((d) => d !== "");
  return dates.every((d) => /^\d{4}-\d{2}-\d{2}$/.test(d)) ? [...new Set(dates)].sort() : null;
}

/** Overrides as lines "2026-09-27 09:00-18:00" (no windows: closed that day). */
export function overridesText(o: Record<string, Window[] | undefined>): string {
  return Object.entries(o)
    .map(([date, ws]) => `${date} ${windowsText(ws)}`.trim())
    .join("\n");
}

export function parseOverrides(text: string): Record<string, Window[]> | null {
  const out: Record<string, Window[]> = {};
  for (const line of text.split("\n")) {
    const l = line.trim();
    if (l === "") continue;
    const m = /^(\d{4}-\d{2}-\d{2})\s*(.*)$/.exec(l);
    if (!m) return null;
    const ws = parseWindows(m[2]!);
    if (ws === null) return null;
    out[m[1]!] = ws;
  }
  return out;
}

/** A new calendar: Monday to Friday 09:00-18:00 in `timezone`. */
export function newCalendar(timezone: string): CalendarSpec {
  const day: Window[] = [["09:00", "18:00"]];
  return {
    timezone: timezone.trim(),
    holidays: [],
    hours: { mon: day, tue: day, wed: day, thu: day, fri: day },
    overrides: {},
  };
}

/**
 * An iCalendar import merged into a calendar: its days off become holidays,
 * its make-up working days overrides with the hours of the calendar's first
 * working weekday. Overrides already written stay as they are. Returns the
 * calendar and how many days were added of each.
 */
export function mergeIcal(
  spec: CalendarSpec,
  days: { holidays: string[]; working_days: string[] },
): { spec: CalendarSpec; holidays: number; working: number } {
  const holidays = [...new Set([...spec.holidays, ...days.holidays])].sort();
  const hours = WEEKDAYS.map((d) => spec.hours[d]).find((ws) => ws && ws.length > 0) ?? [["09:00", "18:00"]];
  const overrides = { ...spec.overrides };
  let working = 0;
  for (const d of days.working_days) {
    if (overrides[d] === undefined) {
      overrides[d] = hours;
      working++;
    }
  }
  return {
    spec: { ...spec, holidays, overrides },
    holidays: holidays.length - spec.holidays.length,
    working,
  };
}
