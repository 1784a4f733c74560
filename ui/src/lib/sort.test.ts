import { describe, expect, it } from "vitest";
import type { DashboardLine } from "../bindings/DashboardLine";
import { DEFAULT_SORT, nextSort, sortRows } from "./sort";
import { line, type LineOver } from "../test/lines";

const row = (number: string, over: LineOver = {}) => line(number, over);

const numbers = (rows: DashboardLine[]) => rows.map((r) => r.number);

describe("sortRows by due (the default)", () => {
  it("puts the soonest due first and rows with nothing due last", () => {
    const rows = [
      row("A", { next_due_at: null }),
      row("B", { next_due_at: "2026-01-03T00:00:00Z" }),
      row("C", { next_due_at: "2026-01-01T10:00:00Z" }),
      row("D", { next_due_at: null }),
      row("E", { next_due_at: "2025-12-31T00:00:00Z" }),
    ];
    expect(numbers(sortRows(rows))).toEqual(["E", "C", "B", "A", "D"]);
  });

  it("compares instants, not strings (fractions and offsets)", () => {
    const rows = [
      row("A", { next_due_at: "2026-01-01T10:00:00.5Z" }),
      row("B", { next_due_at: "2026-01-01T10:00:00Z" }),
      // 09:30 UTC, written in +08:00
      row("C", { next_due_at: "2026-01-01T17:30:00+08:00" }),
    ];
    expect(numbers(sortRows(rows))).toEqual(["C", "B", "A"]);
  });

  it("breaks ties by the oldest received first", () => {
    const due = "2026-01-02T00:00:00Z";
    const rows = [
      row("A", { next_due_at: due, received_at: "2026-01-01T03:00:00Z" }),
      row("B", { next_due_at: due, received_at: "2026-01-01T01:00:00Z" }),
      row("C", { next_due_at: null, received_at: "2026-01-01T05:00:00Z" }),
      row("D", { next_due_at: null, received_at: "2026-01-01T02:00:00Z" }),
    ];
    expect(numbers(sortRows(rows))).toEqual(["B", "A", "D", "C"]);
  });

  it("keeps nothing-due rows last when the direction is reversed", () => {
    const rows = [
      row("A", { next_due_at: null }),
      row("B", { next_due_at: "2026-01-01T00:00:00Z" }),
      row("C", { next_due_at: "2026-01-02T00:00:00Z" }),
    ];
    expect(numbers(sortRows(rows, { key: "due", dir: "desc" }))).toEqual(["C", "B", "A"]);
  });

  it("does not change the input", () => {
    const rows = [row("A", { next_due_at: "2026-01-02T00:00:00Z" }), row("B", { next_due_at: "2026-01-01T00:00:00Z" })];
    sortRows(rows);
    expect(numbers(rows)).toEqual(["A", "B"]);
  });
});

describe("sortRows by other columns", () => {
  it("sorts numbers naturally", () => {
    const rows = [row("TS-2026-000010"), row("TS-2026-000002"), row("TS-2025-000999")];
    expect(numbers(sortRows(rows, { key: "number", dir: "asc" }))).toEqual([
      "TS-2025-000999",
      "TS-2026-000002",
      "TS-2026-000010",
    ]);
    expect(numbers(sortRows(rows, { key: "number", dir: "desc" }))).toEqual([
      "TS-2026-000010",
      "TS-2026-000002",
      "TS-2025-000999",
    ]);
  });

  it("sorts by severity, ties by received", () => {
    const rows = [
      row("A", { severity: 1 }),
      row("B", { severity: 4, received_at: "2026-01-02T00:00:00Z" }),
      row("C", { severity: 4, received_at: "2026-01-01T00:00:00Z" }),
      row("D", { severity: 3 }),
    ];
    expect(numbers(sortRows(rows, { key: "severity", dir: "desc" }))).toEqual(["C", "B", "D", "A"]);
    expect(numbers(sortRows(rows, { key: "severity", dir: "asc" }))).toEqual(["A", "D", "C", "B"]);
  });

  it("sorts by received", () => {
    const rows = [
      row("A", { received_at: "2026-01-03T00:00:00Z" }),
      row("B", { received_at: "2026-01-01T00:00:00Z" }),
      row("C", { received_at: "2026-01-02T00:00:00Z" }),
    ];
    expect(numbers(sortRows(rows, { key: "received", dir: "asc" }))).toEqual(["B", "C", "A"]);
    expect(numbers(sortRows(rows, { key: "received", dir: "desc" }))).toEqual(["A", "C", "B"]);
  });

  it("sorts by customer name", () => {
    const rows = [
      row("1", { customer_name: "Zhao" }),
      row("2", { customer_name: "li" }),
      row("3", { customer_name: "Chen" }),
    ];
    expect(numbers(sortRows(rows, { key: "customer", dir: "asc" }))).toEqual(["3", "2", "1"]);
  });
});

describe("nextSort", () => {
  it("flips the direction of the same column", () => {
    expect(nextSort(DEFAULT_SORT, "due")).toEqual({ key: "due", dir: "desc" });
    expect(nextSort({ key: "due", dir: "desc" }, "due")).toEqual({ key: "due", dir: "asc" });
  });

  it("starts another column in its natural direction", () => {
    expect(nextSort(DEFAULT_SORT, "number")).toEqual({ key: "number", dir: "asc" });
    expect(nextSort(DEFAULT_SORT, "severity")).toEqual({ key: "severity", dir: "desc" });
  });
  it("sorts closed rows by when they closed, the latest first", () => {
    const rows = [
      row("A", { state: "closed", closed_at: "2026-01-01T00:00:00Z" }),
      row("C", { state: "closed", closed_at: "2026-01-03T00:00:00Z" }),
      row("B", { state: "closed", closed_at: "2026-01-02T00:00:00Z" }),
    ];
    expect(sortRows(rows).map((r) => r.number)).toEqual(["C", "B", "A"]);
    expect(sortRows(rows, { key: "due", dir: "desc" }).map((r) => r.number)).toEqual(["A", "B", "C"]);
  });
});
