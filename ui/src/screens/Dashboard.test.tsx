import type { Catalogs } from "../bindings/Catalogs";
import { act, cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { DashboardQuery } from "../bindings/DashboardQuery";
import type { DashboardLine } from "../bindings/DashboardLine";
import type { DashboardData } from "../lib/dashboardLines";
import { api } from "../lib/api";
import { publishChanged } from "../lib/changes";
import { fakeSettings, renderScreen } from "../test/render";
import type { TeamView } from "../bindings/TeamView";
import { Dashboard, forgetDashboardPlace, ROW_HEIGHT } from "./Dashboard";
import { line, type LineOver } from "../test/lines";

vi.mock("../lib/api", async (importOriginal) => (await import("../test/api")).mockApi(await importOriginal()));

const dashboard = vi.mocked(api.dashboard);
const team = vi.mocked(api.team);
const bulkAssign = vi.mocked(api.bulkAssign);
const savedViews = vi.mocked(api.savedViews);
const setSavedViews = vi.mocked(api.setSavedViews);

const TEAM: TeamView = {
  workload: [
    { owner: null, open: 2, at_risk: 0, breached: 1, due_today: 1 },
    { owner: "zhang", open: 5, at_risk: 2, breached: 0, due_today: 3 },
  ],
  people: ["li", "zhang"],
  departments: ["billing", "network_operations"],
  day_end: "2026-01-02T00:00:00Z",
  now: "2026-01-01T00:00:00Z",
};

const MIN = 60_000;
const iso = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();

/** Rows are zhang's in billing unless they say otherwise. */
const row = (number: string, over: LineOver = {}) => line(number, over, { owner: "zhang", department: "billing" });

function view(rows: DashboardLine[]): DashboardData {
  return {
    rows,
    counts: { open: rows.length, at_risk: 2, breached: 3, approvals_waiting: 4, callbacks_due_24h: 5, reminders: 0 },
    now: new Date().toISOString(),
  };
}

/** As a supervisor, who sees the team panel. */
function renderDashboard(catalogs?: Catalogs) {
  return renderScreen(<Dashboard />, {
    route: { screen: "dashboard" },
    settings: fakeSettings({ user: "zhang", role: "supervisor" }),
    ...(catalogs ? { catalogs } : {}),
  });
}

const dept = (code: string, en: string) => ({ code, names: { zh_cn: en, en }, enabled: true, categories: [] });

const lastQuery = (): DashboardQuery => {
  const q = dashboard.mock.calls.at(-1)?.[0];
  if (!q) throw new Error("dashboard was not asked");
  return q;
};

/** The query parts that say "no filter". */
const UNFILTERED = {
  states: [],
  owner: null,
  department: null,
  severities: [],
  kinds: [],
  breached_only: false,
  at_risk_only: false,
  unassigned_only: false,
  search: null,
};

const shownNumbers = () => screen.queryAllByTestId("dashboard-row").map((r) => r.getAttribute("data-number"));

beforeEach(() => {
  dashboard.mockReset();
  team.mockReset();
  team.mockResolvedValue(TEAM);
  bulkAssign.mockReset();
  savedViews.mockReset();
  savedViews.mockResolvedValue([]);
  setSavedViews.mockReset();
  setSavedViews.mockResolvedValue(null);
  forgetDashboardPlace();
});
afterEach(() => {
  cleanup();
});

describe("Dashboard", () => {
  it("shows the header counts and the rows soonest due first, with countdown statuses", async () => {
    dashboard.mockResolvedValue(
      view([
        row("NONE"),
        row("OK", { next_due_at: iso(5 * 60 * MIN), next_warn_at: iso(4 * 60 * MIN), due_kind: "resolution" }),
        row("LATE", { next_due_at: iso(-60 * MIN), next_warn_at: iso(-90 * MIN), due_kind: "first_response" }),
        row("SOON", { next_due_at: iso(30 * MIN), next_warn_at: iso(-5 * MIN), due_kind: "progress_update" }),
      ]),
    );
    renderDashboard();
    await waitFor(() => expect(shownNumbers()).toEqual(["LATE", "SOON", "OK", "NONE"]));

    expect(screen.getByTestId("count-open").textContent).toBe("4");
    expect(screen.getByTestId("count-at-risk").textContent).toBe("2");
    expect(screen.getByTestId("count-breached").textContent).toBe("3");
    expect(screen.getByTestId("count-approvals").textContent).toBe("4");
    expect(screen.getByTestId("count-callbacks").textContent).toBe("5");

    const status = (n: string) => {
      const r = screen.getAllByTestId("dashboard-row").find((e) => e.getAttribute("data-number") === n);
      if (!r) throw new Error(n);
      return within(r).queryByTestId("countdown")?.getAttribute("data-status") ?? null;
    };
    expect(status("LATE")).toBe("breached");
    expect(status("SOON")).toBe("warning");
    expect(status("OK")).toBe("ok");
    expect(status("NONE")).toBeNull();

    const late = screen.getAllByTestId("dashboard-row")[0];
    expect(late?.getAttribute("data-state")).toBe("assigned");
    expect(late?.textContent).toContain("First response");
    expect(late?.textContent).toMatch(/1h 00m overdue|59m 5\ds overdue/);
  });

  it("marks flags and rows not yet synced", async () => {
    dashboard.mockResolvedValue(
      view([row("A", { repeat_ordinal: 3, escalated: true, public_exposure: true, pending: true }), row("B")]),
    );
    renderDashboard();
    const rows = await screen.findAllByTestId("dashboard-row");
    const a = rows[0];
    expect(a?.textContent).toContain("Repeat #3");
    expect(a?.textContent).toContain("Escalated");
    expect(a?.textContent).toContain("Public exposure");
    expect(within(a as HTMLElement).getByTestId("pending").textContent).toBe("Syncing…");
    expect(within(rows[1] as HTMLElement).queryByTestId("pending")).toBeNull();
  });

  it("names departments from the site's catalog in rows and in the filter, in Chinese", async () => {
    const catalogs = {
      departments: [{ code: "billing", names: { zh_cn: "计费结算中心", en: "Billing" }, enabled: true, categories: [] }],
      categories: [],
      people: [],
    };
    team.mockResolvedValue({ ...TEAM, departments: ["billing"] });
    dashboard.mockResolvedValue(view([row("A", { department: "billing" })]));
    renderScreen(<Dashboard />, {
      route: { screen: "dashboard" },
      lang: "zh-CN",
      catalogs,
      settings: fakeSettings({ user: "zhang", role: "supervisor", language: "zh-CN" }),
    });
    const [a] = await screen.findAllByTestId("dashboard-row");
    expect(a?.textContent).toContain("计费结算中心");
    expect(a?.textContent).not.toContain("billing");
    await waitFor(() =>
      expect([...screen.getByTestId("filter-department").querySelectorAll("option")].map((o) => o.textContent)).toContain(
        "计费结算中心",
      ),
    );
  });

  it("marks rows the server has not confirmed as syncing in Chinese", async () => {
    dashboard.mockResolvedValue(view([row("A", { pending: true }), row("B")]));
    renderScreen(<Dashboard />, { route: { screen: "dashboard" }, lang: "zh-CN" });
    const rows = await screen.findAllByTestId("dashboard-row");
    expect(within(rows[0] as HTMLElement).getByTestId("pending").textContent).toBe("同步中…");
    expect(within(rows[1] as HTMLElement).queryByTestId("pending")).toBeNull();
  });

  it("renders far fewer DOM rows than data rows for 5,000 complaints, and follows scrolling", async () => {
    const rows = Array.from({ length: 5000 }, (_, i) =>
      row(`TS-${String(i).padStart(5, "0")}`, { next_due_at: iso((i + 1) * MIN) }),
    );
    dashboard.mockResolvedValue(view(rows));
    renderDashboard();
    await waitFor(() => expect(screen.getAllByTestId("dashboard-row").length).toBeGreaterThan(0));

    const first = screen.getAllByTestId("dashboard-row");
    expect(first.length).toBeLessThan(60);
    expect(first[0]?.getAttribute("data-number")).toBe("TS-00000");
    expect(screen.getByTestId("dashboard-shown").textContent).toBe("5000 shown");

    const list = screen.getByTestId("dashboard-list");
    // The inner spacer is as tall as all rows, so the scrollbar is right.
    expect((list.firstElementChild as HTMLElement).style.height).toBe(`${5000 * ROW_HEIGHT}px`);

    fireEvent.scroll(list, { target: { scrollTop: 2500 * ROW_HEIGHT } });
    const middle = screen.getAllByTestId("dashboard-row");
    expect(middle.length).toBeLessThan(60);
    const numbers = middle.map((r) => r.getAttribute("data-number"));
    expect(numbers).toContain("TS-02500");
    expect(numbers).not.toContain("TS-00000");
    const top = middle.find((r) => r.getAttribute("data-number") === "TS-02500");
    expect(top?.style.top).toBe(`${2500 * ROW_HEIGHT}px`);
  });

  it("moves the selection with the arrow keys and opens with Enter or a click", async () => {
    dashboard.mockResolvedValue(
      view([row("A", { next_due_at: iso(MIN) }), row("B", { next_due_at: iso(2 * MIN) }), row("C")]),
    );
    const { go } = renderDashboard();
    await screen.findAllByTestId("dashboard-row");
    const list = screen.getByTestId("dashboard-list");

    fireEvent.keyDown(list, { key: "ArrowDown" });
    fireEvent.keyDown(list, { key: "ArrowDown" });
    fireEvent.keyDown(list, { key: "ArrowDown" });
    fireEvent.keyDown(list, { key: "ArrowUp" });
    const selected = screen.getAllByTestId("dashboard-row").filter((r) => r.getAttribute("aria-selected") === "true");
    expect(selected.map((r) => r.getAttribute("data-number"))).toEqual(["B"]);
    expect(screen.getByTestId("dashboard-grid").getAttribute("aria-activedescendant")).toBe("dashboard-row-id-B");

    fireEvent.keyDown(list, { key: "Enter" });
    expect(go).toHaveBeenLastCalledWith({ screen: "complaint", id: "id-B" });

    fireEvent.click(screen.getAllByTestId("dashboard-row")[2] as HTMLElement);
    expect(go).toHaveBeenLastCalledWith({ screen: "complaint", id: "id-C" });
  });

  it("re-sorts when a column header is clicked", async () => {
    dashboard.mockResolvedValue(
      view([
        row("N-2", { severity: 1, next_due_at: iso(MIN) }),
        row("N-10", { severity: 4, next_due_at: iso(2 * MIN) }),
        row("N-1", { severity: 3 }),
      ]),
    );
    renderDashboard();
    await waitFor(() => expect(shownNumbers()).toEqual(["N-2", "N-10", "N-1"]));
    fireEvent.click(screen.getByTestId("sort-severity"));
    expect(shownNumbers()).toEqual(["N-10", "N-1", "N-2"]);
    fireEvent.click(screen.getByTestId("sort-number"));
    expect(shownNumbers()).toEqual(["N-1", "N-2", "N-10"]);
    fireEvent.click(screen.getByTestId("sort-number"));
    expect(shownNumbers()).toEqual(["N-10", "N-2", "N-1"]);
  });

  it("sends the filters to Rust, searching only after typing pauses", async () => {
    dashboard.mockResolvedValue(view([row("A", { owner: "li", department: "ops" }), row("B")]));
    renderDashboard();
    await screen.findAllByTestId("dashboard-row");
    expect(lastQuery()).toMatchObject({ ...UNFILTERED, limit: null });
    expect(Number.isNaN(Date.parse(lastQuery().now))).toBe(false);

    const search = screen.getByTestId("dashboard-search");
    expect(search.hasAttribute("data-search")).toBe(true);
    const before = dashboard.mock.calls.length;
    fireEvent.change(search, { target: { value: "T" } });
    fireEvent.change(search, { target: { value: "TS-20" } });
    expect(dashboard.mock.calls.length).toBe(before);
    await waitFor(() => expect(lastQuery().search).toBe("TS-20"));
    expect(dashboard.mock.calls.length).toBe(before + 1);

    fireEvent.change(screen.getByTestId("filter-state"), { target: { value: "resolved" } });
    await waitFor(() => expect(lastQuery().states).toEqual(["resolved"]));
    // Owners and departments are the lists the Rust side knows.
    const owners = [...(screen.getByTestId("filter-owner") as HTMLSelectElement).options].map((o) => o.textContent);
    expect(owners).toEqual(["Any", "Unassigned", "li", "zhang"]);
    fireEvent.change(screen.getByTestId("filter-owner"), { target: { value: "li" } });
    await waitFor(() => expect(lastQuery().owner).toBe("li"));
    fireEvent.change(screen.getByTestId("filter-department"), { target: { value: "network_operations" } });
    await waitFor(() => expect(lastQuery().department).toBe("network_operations"));
    fireEvent.change(screen.getByTestId("filter-severity"), { target: { value: "4" } });
    await waitFor(() => expect(lastQuery().severities).toEqual([4]));
    fireEvent.change(screen.getByTestId("filter-kind"), { target: { value: "compound" } });
    await waitFor(() => expect(lastQuery().kinds).toEqual(["compound"]));
    fireEvent.click(screen.getByTestId("filter-breached"));
    await waitFor(() => expect(lastQuery().breached_only).toBe(true));

    fireEvent.click(screen.getByTestId("clear-filters"));
    await waitFor(() => expect(lastQuery()).toMatchObject(UNFILTERED));
    expect((screen.getByTestId("dashboard-search") as HTMLInputElement).value).toBe("");
  });

  it("lists closed complaints with when they closed and how they ended, latest first", async () => {
    dashboard.mockImplementation(async (q) =>
      view(
        q.states.includes("closed")
          ? [
              row("OLD", { state: "closed", closed_at: "2026-01-02T08:00:00Z", closure: { outcome: "invalid" } }),
              row("NEW", {
                state: "closed",
                closed_at: "2026-01-03T08:00:00Z",
                closure: { outcome: "satisfied", score: 4 },
              }),
            ]
          : [row("A")],
      ),
    );
    renderDashboard();
    await screen.findAllByTestId("dashboard-row");
    expect(screen.getByTestId("sort-due").textContent).toContain("Next due");
    fireEvent.change(screen.getByTestId("filter-state"), { target: { value: "closed" } });
    await waitFor(() => expect(shownNumbers()).toEqual(["NEW", "OLD"]));
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("Closed complaints");
    expect(screen.getByTestId("sort-due").textContent).toContain("Closed");
    expect(screen.getAllByTestId("closure").map((c) => c.textContent)).toEqual([
      "Satisfied · 4/5",
      "Invalid, answered",
    ]);
    expect(screen.getAllByTestId("closed-at")).toHaveLength(2);
    expect(screen.queryByTestId("due-kind")).toBeNull();
  });

  it("goes compact in a short window and back when it grows", async () => {
    dashboard.mockResolvedValue(view([row("A")]));
    const tall = window.innerHeight;
    try {
      window.innerHeight = 600;
      renderDashboard();
      await screen.findAllByTestId("dashboard-row");
      const tiles = screen.getByRole("region", { name: "Overview" });
      expect(tiles.dataset.compact).toBe("true");
      // The filters used less wait behind "More filters".
      expect(screen.queryByTestId("filter-department")).toBeNull();
      expect(screen.getByTestId("filter-owner")).toBeTruthy();
      fireEvent.click(screen.getByTestId("more-filters"));
      fireEvent.change(screen.getByTestId("filter-severity"), { target: { value: "4" } });
      await waitFor(() => expect(lastQuery().severities).toEqual([4]));
      fireEvent.click(screen.getByTestId("more-filters"));
      expect(screen.queryByTestId("filter-severity")).toBeNull();
      expect(screen.getByTestId("more-filters").textContent).toBe("More filters (1 on)");
      window.innerHeight = 900;
      act(() => {
        window.dispatchEvent(new Event("resize"));
      });
      expect(tiles.dataset.compact).toBeUndefined();
      expect(screen.getByTestId("filter-department")).toBeTruthy();
      expect(screen.queryByTestId("more-filters")).toBeNull();
    } finally {
      window.innerHeight = tall;
    }
  });

  it("says when there are no open complaints at all", async () => {
    dashboard.mockResolvedValue(view([]));
    renderDashboard();
    expect((await screen.findByTestId("empty")).textContent).toContain("No open complaints");
    expect(screen.queryByTestId("empty-clear-filters")).toBeNull();
  });

  it("says when nothing matches the filters and clears them", async () => {
    dashboard.mockImplementation(async (q) => view(q.breached_only ? [] : [row("A")]));
    renderDashboard();
    await screen.findAllByTestId("dashboard-row");
    fireEvent.click(screen.getByTestId("filter-breached"));
    expect((await screen.findByTestId("empty")).textContent).toContain("Nothing matches the filters");
    fireEvent.click(screen.getByTestId("empty-clear-filters"));
    await waitFor(() => expect(shownNumbers()).toEqual(["A"]));
    expect(lastQuery().breached_only).toBe(false);
  });

  it("shows an error with a retry", async () => {
    dashboard.mockRejectedValueOnce({ code: "store_busy", message: "busy", transient: true });
    dashboard.mockResolvedValue(view([row("A")]));
    renderDashboard();
    const banner = await screen.findByTestId("error");
    expect(banner.getAttribute("data-code")).toBe("store_busy");
    fireEvent.click(within(banner).getByRole("button"));
    await waitFor(() => expect(shownNumbers()).toEqual(["A"]));
    expect(screen.queryByTestId("error")).toBeNull();
  });

  it("shows loading until the first answer", async () => {
    let answer: (v: DashboardData) => void = () => {};
    dashboard.mockReturnValue(new Promise((r) => (answer = r)));
    renderDashboard();
    expect(screen.getByTestId("loading")).toBeTruthy();
    await act(async () => answer(view([row("A")])));
    expect(screen.queryByTestId("loading")).toBeNull();
    expect(shownNumbers()).toEqual(["A"]);
  });

  it("reloads when complaints change, not for unrelated changes", async () => {
    dashboard.mockResolvedValue(view([row("A")]));
    renderDashboard();
    await screen.findAllByTestId("dashboard-row");
    const calls = dashboard.mock.calls.length;

    act(() => publishChanged({ complaints: [], all: false, reminders: true, settings: false }));
    expect(dashboard.mock.calls.length).toBe(calls);

    dashboard.mockResolvedValue(view([row("A"), row("B")]));
    act(() => publishChanged({ complaints: ["id-B"], all: false, reminders: false, settings: false }));
    expect(dashboard.mock.calls.length).toBe(calls + 1);
    await waitFor(() => expect(shownNumbers()).toEqual(["A", "B"]));
  });

  it("reloads every 30 seconds", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval", "setTimeout", "clearTimeout"] });
    try {
      dashboard.mockResolvedValue(view([row("A")]));
      renderDashboard();
      await act(async () => {});
      const calls = dashboard.mock.calls.length;
      await act(async () => {
        vi.advanceTimersByTime(30_000);
      });
      expect(dashboard.mock.calls.length).toBe(calls + 1);
    } finally {
      vi.useRealTimers();
    }
  });

  it("filters on the At-risk tile like the Breached one, one at a time", async () => {
    dashboard.mockResolvedValue(view([row("A")]));
    renderDashboard();
    await screen.findAllByTestId("dashboard-row");
    fireEvent.click(screen.getByTestId("tile-at-risk"));
    await waitFor(() => expect(lastQuery()).toMatchObject({ at_risk_only: true, breached_only: false }));
    expect(screen.getByTestId("tile-at-risk").getAttribute("aria-pressed")).toBe("true");
    fireEvent.click(screen.getByTestId("tile-breached"));
    await waitFor(() => expect(lastQuery()).toMatchObject({ at_risk_only: false, breached_only: true }));
    fireEvent.click(screen.getByTestId("tile-breached"));
    await waitFor(() => expect(lastQuery()).toMatchObject({ at_risk_only: false, breached_only: false }));
  });

  it("filters the unassigned queue and an owner from the team panel", async () => {
    dashboard.mockResolvedValue(view([row("A")]));
    renderDashboard();
    const panel = await screen.findByTestId("team-panel");
    const owners = within(panel).getAllByTestId("team-owner");
    expect(owners.map((o) => o.getAttribute("data-owner"))).toEqual(["", "zhang"]);
    expect(owners[0]!.textContent).toContain("Unassigned");
    expect(within(owners[0]!).getByTestId("team-breached").textContent).toBe("1 breached");
    expect(owners[1]!.getAttribute("title")).toBe("5 open · 2 at risk · 0 breached · 3 due today");
    fireEvent.click(owners[0]!);
    await waitFor(() => expect(lastQuery()).toMatchObject({ owner: null, unassigned_only: true }));
    fireEvent.click(owners[1]!);
    await waitFor(() => expect(lastQuery()).toMatchObject({ owner: "zhang", unassigned_only: false }));
    fireEvent.click(owners[1]!);
    await waitFor(() => expect(lastQuery()).toMatchObject({ owner: null, unassigned_only: false }));
  });

  it("hides the team panel from agents", async () => {
    dashboard.mockResolvedValue(view([row("A")]));
    renderScreen(<Dashboard />, {
      route: { screen: "dashboard" },
      settings: fakeSettings({ role: "agent" }),
    });
    await screen.findAllByTestId("dashboard-row");
    expect(screen.queryByTestId("team-panel")).toBeNull();
  });

  it("sorts by owner and department", async () => {
    dashboard.mockResolvedValue(
      view([row("A", { owner: "wu", department: "quality" }), row("B", { owner: null }), row("C", { owner: "chen" })]),
    );
    renderDashboard();
    await screen.findAllByTestId("dashboard-row");
    fireEvent.click(screen.getByTestId("sort-owner"));
    expect(shownNumbers()).toEqual(["C", "A", "B"]);
    fireEvent.click(screen.getByTestId("sort-department"));
    expect(shownNumbers()).toEqual(["B", "C", "A"]);
  });

  it("assigns the ticked complaints from lists and reports what was refused", async () => {
    dashboard.mockResolvedValue(view([row("A"), row("B"), row("C")]));
    bulkAssign.mockResolvedValue({
      done: ["id-A"],
      failed: [{ id: "id-C", error: { code: "complaint_closed", message: "closed", transient: false } }],
    });
    renderDashboard({
      departments: [dept("billing", "Billing"), dept("network_operations", "Network")],
      categories: [],
      people: [],
    });
    await screen.findAllByTestId("dashboard-row");
    expect(screen.queryByTestId("bulk-bar")).toBeNull();
    const ticks = screen.getAllByTestId("row-tick");
    fireEvent.click(ticks[0]!);
    fireEvent.click(ticks[2]!);
    // Ticking does not open the complaint.
    expect(screen.getByTestId("bulk-count").textContent).toBe("2 selected");
    fireEvent.click(screen.getByTestId("bulk-assign"));
    const dialog = screen.getByRole("dialog");
    const confirm = within(dialog).getByTestId("dialog-confirm") as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    const departments = [...(within(dialog).getByTestId("bulk-department") as HTMLSelectElement).options].map(
      (o) => o.value,
    );
    expect(departments).toEqual(["", "billing", "network_operations"]);
    fireEvent.change(within(dialog).getByTestId("bulk-department"), { target: { value: "billing" } });
    fireEvent.change(within(dialog).getByTestId("bulk-owner"), { target: { value: "li" } });
    fireEvent.click(confirm);
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(bulkAssign).toHaveBeenCalledWith(["id-A", "id-C"], "billing", "li");
    expect(screen.getByTestId("notice").textContent).toContain("Assigned 1; not assigned: C:");
    // What was refused stays ticked, to try again or look at.
    expect(screen.getByTestId("bulk-count").textContent).toBe("1 selected");

    fireEvent.click(screen.getByTestId("tick-all"));
    expect(screen.getByTestId("bulk-count").textContent).toBe("3 selected");
    fireEvent.click(screen.getByTestId("tick-all"));
    expect(screen.queryByTestId("bulk-bar")).toBeNull();
  });

  it("lets a site without a department catalog type the department for a bulk assignment", async () => {
    dashboard.mockResolvedValue(view([row("A")]));
    bulkAssign.mockResolvedValue({ done: ["id-A"], failed: [] });
    renderDashboard();
    fireEvent.click((await screen.findAllByTestId("row-tick"))[0]!);
    fireEvent.click(screen.getByTestId("bulk-assign"));
    const dialog = screen.getByRole("dialog");
    const field = within(dialog).getByTestId("bulk-department") as HTMLInputElement;
    expect(field.tagName).toBe("INPUT");
    fireEvent.change(field, { target: { value: "field_service" } });
    fireEvent.change(within(dialog).getByTestId("bulk-owner"), { target: { value: "li" } });
    fireEvent.click(within(dialog).getByTestId("dialog-confirm"));
    await waitFor(() => expect(bulkAssign).toHaveBeenCalledWith(["id-A"], "field_service", "li"));
  });

  it("keeps filters, sort, selection and ticks when coming back from a complaint", async () => {
    dashboard.mockResolvedValue(view([row("A", { owner: "wu" }), row("B", { owner: "chen" })]));
    const first = renderDashboard();
    await screen.findAllByTestId("dashboard-row");
    fireEvent.change(screen.getByTestId("dashboard-search"), { target: { value: "Cust" } });
    fireEvent.click(screen.getByTestId("sort-owner"));
    fireEvent.click(screen.getAllByTestId("row-tick")[1]!);
    fireEvent.change(screen.getByTestId("filter-kind"), { target: { value: "compound" } });
    // Opening a row selects it and leaves the screen.
    fireEvent.click(screen.getAllByTestId("dashboard-row")[0]!);
    first.unmount();

    renderDashboard();
    await screen.findAllByTestId("dashboard-row");
    expect((screen.getByTestId("dashboard-search") as HTMLInputElement).value).toBe("Cust");
    expect((screen.getByTestId("filter-kind") as HTMLSelectElement).value).toBe("compound");
    expect(lastQuery()).toMatchObject({ kinds: ["compound"] });
    expect(shownNumbers()).toEqual(["B", "A"]);
    expect(screen.getByTestId("sort-owner").closest("[role=columnheader]")?.getAttribute("aria-sort")).toBe("ascending");
    expect(screen.getAllByTestId("dashboard-row")[0]!.getAttribute("aria-selected")).toBe("true");
    expect(screen.getByTestId("bulk-count").textContent).toBe("1 selected");
  });

  it("calls a closed list what it is", async () => {
    dashboard.mockResolvedValue(view([row("A", { state: "closed" })]));
    renderDashboard();
    await screen.findAllByTestId("dashboard-row");
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("Open complaints");
    fireEvent.change(screen.getByTestId("filter-state"), { target: { value: "closed" } });
    await waitFor(() => expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("Closed complaints"));
  });

  it("saves the filters and sort as a named view and applies a saved one", async () => {
    dashboard.mockResolvedValue(view([row("A"), row("B")]));
    savedViews.mockResolvedValue([
      { name: "At risk, by owner", view: { filters: { atRiskOnly: true, owner: "zhang" }, sort: { key: "owner", dir: "asc" } } },
    ]);
    renderDashboard();
    await screen.findAllByTestId("dashboard-row");
    await waitFor(() => expect((screen.getByTestId("view-select") as HTMLSelectElement).options.length).toBe(2));

    fireEvent.change(screen.getByTestId("view-select"), { target: { value: "At risk, by owner" } });
    await waitFor(() => expect(lastQuery()).toMatchObject({ at_risk_only: true, owner: "zhang" }));
    expect(screen.getByTestId("sort-owner").closest("[role=columnheader]")?.getAttribute("aria-sort")).toBe("ascending");

    fireEvent.change(screen.getByTestId("filter-kind"), { target: { value: "compound" } });
    fireEvent.click(screen.getByTestId("view-save"));
    const dialog = screen.getByRole("dialog");
    expect((within(dialog).getByTestId("view-name") as HTMLInputElement).value).toBe("At risk, by owner");
    fireEvent.change(within(dialog).getByTestId("view-name"), { target: { value: "Compound " } });
    fireEvent.click(within(dialog).getByTestId("dialog-confirm"));
    await waitFor(() => expect(setSavedViews).toHaveBeenCalledTimes(1));
    const saved = setSavedViews.mock.calls[0]![0];
    expect(saved.map((v) => v.name)).toEqual(["At risk, by owner", "Compound"]);
    expect(saved[1]!.view).toMatchObject({
      filters: { kind: "compound", atRiskOnly: true, owner: "zhang" },
      sort: { key: "owner", dir: "asc" },
    });
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(screen.getByTestId("notice").textContent).toContain("Compound");

    // Deleting asks first.
    savedViews.mockResolvedValue(saved);
    fireEvent.click(screen.getByTestId("view-delete"));
    fireEvent.click(within(screen.getByRole("dialog")).getByTestId("dialog-confirm"));
    await waitFor(() => expect(setSavedViews).toHaveBeenCalledTimes(2));
    expect(setSavedViews.mock.calls[1]![0].map((v) => v.name)).toEqual(["At risk, by owner"]);
  });
});
