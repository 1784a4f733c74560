// Which dashboard columns fit at a width. Columns that matter come first
// (number, next due, customer, severity, state, owner); the others step back
// as the window narrows, and what they held moves to a second line or the
// row's tooltip, so nothing that matters is cut off or pushed off screen
// from the minimum window size (960 x 600) up, in either language.
import type { Key } from "../i18n";
import type { SortKey } from "./sort";

export type ColumnId =
  | "select"
  | "number"
  | "due"
  | "customer"
  | "severity"
  | "state"
  | "owner"
  | "department"
  | "flags"
  | "kind"
  | "channel"
  | "received";

export interface Column {
  id: ColumnId;
  label: Key;
  /** A CSS grid track; its minimum counts towards the tier's width. */
  width: string;
  min: number;
  sort?: SortKey;
}

/**
 * Every column, most important first. Fixed widths fit the longest English
 * text with some room to spare: Latin text set in a CJK font runs wider.
 */
export const COLUMNS: readonly Column[] = [
  { id: "select", label: "dashboard.col.select", width: "28px", min: 28 },
  { id: "number", label: "dashboard.col.number", width: "136px", min: 136, sort: "number" },
  // "10h 27m overdue" in English, with the clock's name below it.
  { id: "due", label: "dashboard.col.due", width: "152px", min: 152, sort: "due" },
  { id: "customer", label: "dashboard.col.customer", width: "minmax(76px, 1.3fr)", min: 76, sort: "customer" },
  // "Critical" or "Medium" as a tag.
  { id: "severity", label: "dashboard.col.severity", width: "88px", min: 88, sort: "severity" },
  // "Awaiting approval".
  { id: "state", label: "dashboard.col.state", width: "144px", min: 144, sort: "state" },
  { id: "owner", label: "dashboard.col.owner", width: "minmax(76px, 1fr)", min: 76, sort: "owner" },
  { id: "department", label: "dashboard.col.department", width: "minmax(100px, 1fr)", min: 100, sort: "department" },
  { id: "flags", label: "dashboard.col.flags", width: "minmax(80px, 1fr)", min: 80 },
  // "Emotion-driven", "Social media".
  { id: "kind", label: "dashboard.col.kind", width: "128px", min: 128 },
  { id: "channel", label: "dashboard.col.channel", width: "108px", min: 108 },
  { id: "received", label: "dashboard.col.received", width: "120px", min: 120 },
];

export type Tier = "full" | "wide" | "medium" | "narrow";

/** The tiers from widest to narrowest. */
const TIERS: readonly Tier[] = ["full", "wide", "medium", "narrow"];

/** What each tier leaves out, and where that goes instead. */
const DROPPED: Record<Tier, readonly ColumnId[]> = {
  full: [],
  // The time received in the customer's tooltip.
  wide: ["received"],
  // Also the kind under the customer's name and the channel in the tooltip.
  medium: ["kind", "channel", "received"],
  // Also the department under the owner, and the flags under the customer.
  narrow: ["kind", "channel", "received", "department", "flags"],
};

/** The sum of the minimum widths of a tier's columns, in pixels. */
export function minWidth(tier: Tier): number {
  return columnsFor(tier).reduce((sum, c) => sum + c.min, 0);
}

export function columnsFor(tier: Tier): Column[] {
  const dropped = DROPPED[tier];
  return COLUMNS.filter((c) => !dropped.includes(c.id));
}

/** The widest tier whose columns fit `width` pixels (the list's own width). */
export function tierFor(width: number): Tier {
  return TIERS.find((tier) => width >= minWidth(tier)) ?? "narrow";
}

/** Is column `id` shown in `tier`? */
export function shows(tier: Tier, id: ColumnId): boolean {
  return !DROPPED[tier].includes(id);
}

/**
 * Below this window height the dashboard goes compact: each count tile puts
 * its number beside its label and each filter its label beside its field,
 * so the list keeps the height (at 960 x 600 about twice the rows).
 */
export const COMPACT_HEIGHT = 720;

/** Whether a window this tall gets the compact dashboard. */
export function isCompact(height: number): boolean {
  return height < COMPACT_HEIGHT;
}
