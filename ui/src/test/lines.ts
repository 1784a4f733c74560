// Dashboard lines for tests. Fixtures speak RFC 3339 like the rest of the
// tests; the line carries epoch milliseconds.
import type { DashboardLine } from "../bindings/DashboardLine";

export type LineOver = Partial<
  Omit<DashboardLine, "due_ms" | "warn_ms" | "received_ms" | "closed_ms" | "owner" | "department">
> & {
  owner?: string | null;
  department?: string | null;
  next_due_at?: string | null;
  next_warn_at?: string | null;
  received_at?: string;
  closed_at?: string | null;
};

/** Line `number`; an owner or department `over` leaves out is `base`'s (null: none). */
export function line(
  number: string,
  over: LineOver = {},
  base: { owner?: string; department?: string } = {},
): DashboardLine {
  const { next_due_at, next_warn_at, received_at, closed_at, owner, department, ...rest } = over;
  const ms = (s: string | null | undefined) => (s ? Date.parse(s) : undefined);
  return {
    id: `id-${number}`,
    number,
    customer_name: `Customer ${number}`,
    kind: "demand_driven",
    severity: 2,
    channel: "phone",
    state: "assigned",
    owner: owner === undefined ? base.owner : (owner ?? undefined),
    department: department === undefined ? base.department : (department ?? undefined),
    due_ms: ms(next_due_at),
    warn_ms: ms(next_warn_at),
    received_ms: Date.parse(received_at ?? "2026-01-01T00:00:00Z"),
    closed_ms: ms(closed_at),
    ...rest,
  };
}
