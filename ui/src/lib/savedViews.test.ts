import { describe, expect, it } from "vitest";
import { NO_FILTERS, UNASSIGNED } from "./filters";
import { DEFAULT_SORT } from "./sort";
import { fromSaved, toSaved, upsertView } from "./savedViews";

describe("saved views", () => {
  it("round-trips the filters and the sort", () => {
    const state = {
      filters: { ...NO_FILTERS, owner: UNASSIGNED, kind: "compound" as const, atRiskOnly: true, search: "285" },
      sort: { key: "owner" as const, dir: "desc" as const },
    };
    const saved = toSaved("  Mine  ", state);
    expect(saved.name).toBe("Mine");
    expect(fromSaved(JSON.parse(JSON.stringify(saved)))).toEqual(state);
  });

  it("reads only what it knows, with the right types", () => {
    const odd = fromSaved({
      name: "odd",
      view: { filters: { state: "nonsense", severity: "4", kind: 7, owner: "a\u0007b", extra: 1, breachedOnly: "yes" }, sort: { key: "hack", dir: "up" } },
    });
    expect(odd).toEqual({ filters: NO_FILTERS, sort: DEFAULT_SORT });
    expect(fromSaved({ name: "null", view: null })).toEqual({ filters: NO_FILTERS, sort: DEFAULT_SORT });
  });

  it("replaces a view of the same name, whatever its case", () => {
    const a = toSaved("Breached", { filters: NO_FILTERS, sort: DEFAULT_SORT });
    const b = toSaved("Team", { filters: NO_FILTERS, sort: DEFAULT_SORT });
    const a2 = toSaved("breached ", { filters: { ...NO_FILTERS, breachedOnly: true }, sort: DEFAULT_SORT });
    const list = upsertView(upsertView([a], b), a2);
    expect(list.map((v) => v.name)).toEqual(["breached", "Team"]);
  });
});
