import { describe, expect, it } from "vitest";
import { columnsFor, isCompact, minWidth, shows, tierFor } from "./dashboardLayout";

/** The list's width in a window: the navigation (200 px), page padding, borders and the scrollbar. */
const listWidth = (windowWidth: number) => windowWidth - 200 - 2 * 20 - 2 - 15;

describe("dashboard layout", () => {
  it("keeps what matters at the minimum window width, next due among it", () => {
    const tier = tierFor(listWidth(960));
    expect(tier).toBe("narrow");
    const ids = columnsFor(tier).map((c) => c.id);
    expect(ids).toEqual(["select", "number", "due", "customer", "severity", "state", "owner"]);
    expect(minWidth(tier)).toBeLessThanOrEqual(listWidth(960));
  });

  it("shows more as the window grows, and everything at 1440", () => {
    expect(tierFor(listWidth(1280))).toBe("medium");
    expect(tierFor(listWidth(1440))).toBe("wide");
    expect(tierFor(listWidth(1600))).toBe("full");
    expect(columnsFor("full")).toHaveLength(12);
    expect(minWidth("medium")).toBeLessThanOrEqual(listWidth(1280));
    expect(minWidth("wide")).toBeLessThanOrEqual(listWidth(1440));
    expect(tierFor(0)).toBe("narrow");
  });

  it("drops columns in order of importance, never the first ones", () => {
    const narrow = columnsFor("narrow").map((c) => c.id);
    const medium = columnsFor("medium").map((c) => c.id);
    const wide = columnsFor("full").map((c) => c.id);
    expect(wide.slice(0, narrow.length)).toEqual(narrow);
    expect(wide.slice(0, medium.length)).toEqual(medium);
    expect(shows("narrow", "department")).toBe(false);
    expect(shows("medium", "department")).toBe(true);
    expect(shows("medium", "kind")).toBe(false);
  });

  it("goes compact below 720 px of height, so 960 x 600 keeps rows for the list", () => {
    expect(isCompact(600)).toBe(true);
    expect(isCompact(719)).toBe(true);
    expect(isCompact(720)).toBe(false);
    expect(isCompact(900)).toBe(false);
  });
});
