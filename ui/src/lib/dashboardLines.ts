// The dashboard arrives column by column (DashboardColumns, decided in
// crates/app/src/views.rs): this turns the columns back into one object per
// line, the shape the list, its sort and its tests work with.
import type { DashboardColumns } from "../bindings/DashboardColumns";
import type { DashboardLine } from "../bindings/DashboardLine";
import type { DashboardView } from "../bindings/DashboardView";
import type { HeaderCounts } from "../bindings/HeaderCounts";

/** The dashboard as the screen uses it: one object per line. */
export interface DashboardData {
  rows: DashboardLine[];
  counts: HeaderCounts;
  now: string;
}

const orUndefined = <T>(v: T | null | undefined): T | undefined => (v === null ? undefined : v);

/** One object per line, in the columns' order. */
export function decodeLines(c: DashboardColumns): DashboardLine[] {
  const escalated = new Set(c.escalated);
  const exposed = new Set(c.public_exposure);
  const pending = new Set(c.pending);
  const lines: DashboardLine[] = new Array<DashboardLine>(c.id.length);
  for (let i = 0; i < c.id.length; i++) {
    lines[i] = {
      id: c.id[i] as string,
      number: c.number[i] as string,
      customer_name: c.customer_name[i] as string,
      kind: c.kind[i] as DashboardLine["kind"],
      severity: c.severity[i] as number,
      channel: c.channel[i] as DashboardLine["channel"],
      state: c.state[i] as DashboardLine["state"],
      owner: orUndefined(c.owner[i]),
      department: orUndefined(c.department[i]),
      repeat_ordinal: orUndefined(c.repeat_ordinal[i]),
      escalated: escalated.has(i),
      public_exposure: exposed.has(i),
      pending: pending.has(i),
      due_ms: orUndefined(c.due_ms[i]),
      due_kind: orUndefined(c.due_kind[i]),
      warn_ms: orUndefined(c.warn_ms[i]),
      received_ms: c.received_ms[i] as number,
      closed_ms: orUndefined(c.closed_ms[i]),
      closure: orUndefined(c.closure[i]),
    };
  }
  return lines;
}

export function decodeDashboard(v: DashboardView): DashboardData {
  return { rows: decodeLines(v.lines), counts: v.counts, now: v.now };
}
