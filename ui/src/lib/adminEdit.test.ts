import { describe, expect, it } from "vitest";
import type { Catalogs } from "../bindings/Catalogs";
import {
  addCategory,
  addGroup,
  appliesToAll,
  entryProblem,
  hoursText,
  newEntry,
  newPolicy,
  parseHours,
  setTarget,
  updateEntry,
} from "./adminEdit";

const EMPTY: Catalogs = { departments: [], categories: [], people: [] };

describe("catalog edits", () => {
  it("adds a group and a category under it, refusing duplicates and strays", () => {
    const group = newEntry(" billing ", "计费", "Billing");
    expect(group.code).toBe("billing");
    expect(entryProblem(EMPTY, "category", group)).toBeNull();
    let c = addGroup(EMPTY, group);
    expect(entryProblem(c, "category", newEntry("billing", "x", "y"))).toBe("admin.error.code");
    expect(entryProblem(c, "category", newEntry("fee", "费用", "Fees"), "billing")).toBe("admin.error.child_code");
    expect(entryProblem(c, "category", newEntry("billing.fee", "", "Fees"), "billing")).toBe("admin.error.names");
    const fee = newEntry("billing.fee", "费用", "Fees");
    expect(entryProblem(c, "category", fee, "billing")).toBeNull();
    c = addCategory(c, "billing", fee);
    expect(c.categories[0]?.categories.map((e) => e.code)).toEqual(["billing.fee"]);
    // A child code counts as taken too.
    expect(entryProblem(c, "category", newEntry("billing.fee", "a", "b"), "billing")).toBe("admin.error.code");
  });

  it("changes one entry at either level", () => {
    const c = addCategory(addGroup(EMPTY, newEntry("billing", "计费", "Billing")), "billing", newEntry("billing.fee", "费用", "Fees"));
    const off = updateEntry(c, "category", "billing.fee", (e) => ({ ...e, enabled: false }));
    expect(off.categories[0]?.enabled).toBe(true);
    expect(off.categories[0]?.categories[0]?.enabled).toBe(false);
  });
});

describe("targets in hours", () => {
  it("reads and writes hours", () => {
    expect(parseHours("")).toBeNull();
    expect(parseHours("4")).toBe(4 * 3600);
    expect(parseHours("0,5")).toBe(1800);
    expect(parseHours("four")).toBeUndefined();
    expect(parseHours("-1")).toBeUndefined();
    expect(parseHours("9000")).toBeUndefined();
    expect(hoursText(null)).toBe("");
    expect(hoursText({ seconds: 5400, calendar: "24x7" })).toBe("1.5");
  });

  it("sets and clears a policy's target", () => {
    const p = setTarget(newPolicy(" fast "), "resolution", 4 * 3600, "office");
    expect(p.name).toBe("fast");
    expect(p.resolution).toEqual({ seconds: 14400, calendar: "office" });
    expect(setTarget(p, "resolution", null, "office").resolution).toBeNull();
    expect(appliesToAll(p)).toBe(true);
    expect(appliesToAll({ ...p, when: { ...p.when, kinds: ["emotion_driven"] } })).toBe(false);
  });
});

describe("calendar edits", () => {
  it("reads and writes windows, dates and overrides", async () => {
    const { parseWindows, windowsText, parseDates, parseOverrides, overridesText } = await import("./adminEdit");
    expect(parseWindows("9:00-12:00, 13:30-18:00")).toEqual([
      ["09:00", "12:00"],
      ["13:30", "18:00"],
    ]);
    expect(parseWindows("09:00～18:00")).toBeNull();
    expect(parseWindows("09:00~18:00；19:00-24:00")).toEqual([
      ["09:00", "18:00"],
      ["19:00", "24:00"],
    ]);
    expect(parseWindows("  ")).toEqual([]);
    expect(parseWindows("nine to five")).toBeNull();
    expect(windowsText([["09:00", "18:00"]])).toBe("09:00-18:00");
    expect(parseDates("2026-10-02\n2026-10-01 2026-10-01")).toEqual(["2026-10-01", "2026-10-02"]);
    expect(parseDates("10/01")).toBeNull();
    const o = parseOverrides("2026-09-27 09:00-18:00\n2026-10-08");
    expect(o).toEqual({ "2026-09-27": [["09:00", "18:00"]], "2026-10-08": [] });
    expect(overridesText(o!)).toBe("2026-09-27 09:00-18:00\n2026-10-08");
    expect(parseOverrides("Saturday 09:00-18:00")).toBeNull();
  });

  it("merges an iCalendar import without touching overrides already written", async () => {
    const { mergeIcal, newCalendar } = await import("./adminEdit");
    const cal = { ...newCalendar("Asia/Shanghai"), holidays: ["2026-10-01"], overrides: { "2026-10-11": [] } };
    const m = mergeIcal(cal, {
      holidays: ["2026-10-01", "2026-10-02"],
      working_days: ["2026-09-27", "2026-10-11"],
    });
    expect(m.holidays).toBe(1);
    expect(m.working).toBe(1);
    expect(m.spec.holidays).toEqual(["2026-10-01", "2026-10-02"]);
    expect(m.spec.overrides).toEqual({ "2026-09-27": [["09:00", "18:00"]], "2026-10-11": [] });
  });
});
