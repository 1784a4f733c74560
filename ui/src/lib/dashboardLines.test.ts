import { describe, expect, it } from "vitest";
import type { DashboardColumns } from "../bindings/DashboardColumns";
import { decodeDashboard, decodeLines } from "./dashboardLines";

const columns: DashboardColumns = {
  id: ["a", "b"],
  number: ["TS-1", "TS-2"],
  customer_name: ["王先生", "Ms Lee"],
  kind: ["emotion_driven", "demand_driven"],
  severity: [3, 1],
  channel: ["phone", "email"],
  state: ["assigned", "closed"],
  owner: [null, "agent.li"],
  department: ["billing", null],
  repeat_ordinal: [2, null],
  escalated: [0],
  public_exposure: [1],
  pending: [0, 1],
  due_ms: [1_795_397_400_000, null],
  due_kind: ["progress_update", null],
  warn_ms: [1_795_396_800_000, null],
  received_ms: [1_795_395_600_000, 1_795_300_000_000],
  closed_ms: [null, 1_795_390_000_000],
  closure: [null, { outcome: "satisfied", score: 5 }],
};

describe("decodeLines", () => {
  it("turns the columns back into one line each, in order", () => {
    const [a, b, ...rest] = decodeLines(columns);
    expect(rest).toEqual([]);
    expect(a).toEqual({
      id: "a",
      number: "TS-1",
      customer_name: "王先生",
      kind: "emotion_driven",
      severity: 3,
      channel: "phone",
      state: "assigned",
      owner: undefined,
      department: "billing",
      repeat_ordinal: 2,
      escalated: true,
      public_exposure: false,
      pending: true,
      due_ms: 1_795_397_400_000,
      due_kind: "progress_update",
      warn_ms: 1_795_396_800_000,
      received_ms: 1_795_395_600_000,
      closed_ms: undefined,
      closure: undefined,
    });
    expect(b?.owner).toBe("agent.li");
    expect(b?.department).toBeUndefined();
    expect(b?.escalated).toBe(false);
    expect(b?.public_exposure).toBe(true);
    expect(b?.pending).toBe(true);
    expect(b?.due_ms).toBeUndefined();
    expect(b?.closed_ms).toBe(1_795_390_000_000);
    expect(b?.closure).toEqual({ outcome: "satisfied", score: 5 });
  });

  it("keeps the counts and the instant of the view", () => {
    const counts = { open: 2, at_risk: 1, breached: 0, approvals_waiting: 0, callbacks_due_24h: 0, reminders: 1 };
    const d = decodeDashboard({ lines: columns, counts, now: "2026-11-23T01:00:00Z" });
    expect(d.rows.map((r) => r.number)).toEqual(["TS-1", "TS-2"]);
    expect(d.counts).toBe(counts);
    expect(d.now).toBe("2026-11-23T01:00:00Z");
  });
});
