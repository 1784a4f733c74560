import { act, cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ReminderItem } from "../bindings/ReminderItem";
import { api } from "../lib/api";
import { publishChanged } from "../lib/changes";
import { renderScreen } from "../test/render";
import { Reminders } from "./Reminders";

vi.mock("../lib/api", async (importOriginal) => (await import("../test/api")).mockApi(await importOriginal()));

const reminders = vi.mocked(api.reminders);
const history = vi.mocked(api.reminderHistory);
const ack = vi.mocked(api.ackReminders);
const snooze = vi.mocked(api.snoozeReminders);

function reminder(key: string, over: Partial<ReminderItem> = {}): ReminderItem {
  const now = Date.now();
  return {
    key,
    complaint_id: `c-${key}`,
    number: `RD-${key}`,
    customer_name: `Customer ${key}`,
    owner: "u1",
    department: "billing",
    kind: "sla_warning",
    at: new Date(now - 60_000).toISOString(),
    due_at: new Date(now + 3600_000).toISOString(),
    fired_at: new Date(now - 60_000).toISOString(),
    title: `Title ${key}`,
    body: `Body ${key}`,
    acked_at: null,
    snoozed_until: null,
    resolved_at: null,
    resolution: null,
    ...over,
  };
}

function renderReminders() {
  return renderScreen(<Reminders />, { route: { screen: "reminders" } });
}

const keys = () => screen.queryAllByTestId("reminder-row").map((r) => r.textContent ?? "");

beforeEach(() => {
  reminders.mockReset();
  history.mockReset();
  ack.mockReset();
  snooze.mockReset();
  ack.mockResolvedValue(null);
  snooze.mockResolvedValue(null);
});
afterEach(cleanup);

describe("Reminders", () => {
  const inbox = () => [
    reminder("new", { kind: "sla_breach" }),
    reminder("done", { acked_at: new Date().toISOString() }),
    reminder("later", { kind: "callback_due", snoozed_until: new Date(Date.now() + 600_000).toISOString() }),
  ];

  it("shows only unacknowledged reminders by default, all when the filter is off", async () => {
    reminders.mockResolvedValue(inbox());
    renderReminders();
    await screen.findAllByTestId("reminder-row");
    expect(reminders).toHaveBeenCalledWith(500);
    expect(keys()).toHaveLength(2);
    expect(keys().join()).not.toContain("Title done");
    const filter = screen.getByTestId("unacked-only") as HTMLInputElement;
    expect(filter.checked).toBe(true);

    fireEvent.click(filter);
    expect(keys()).toHaveLength(3);
    expect(keys().join()).toContain("Title done");
  });

  it("shows kind, title, body and state of each reminder", async () => {
    reminders.mockResolvedValue(inbox());
    renderReminders();
    fireEvent.click(await screen.findByTestId("unacked-only"));
    const rows = screen.getAllByTestId("reminder-row");
    const [fresh, done, later] = rows as [HTMLElement, HTMLElement, HTMLElement];
    expect(fresh.textContent).toContain("SLA breach");
    expect(fresh.textContent).toContain("Title new");
    expect(fresh.textContent).toContain("Body new");
    expect(within(fresh).getByTestId("reminder-status").getAttribute("data-status")).toBe("new");
    expect(within(done).getByTestId("reminder-status").getAttribute("data-status")).toBe("acked");
    expect(within(done).queryByTestId("ack-btn")).toBeNull();
    expect(within(later).getByTestId("reminder-status").getAttribute("data-status")).toBe("snoozed");
    expect(later.textContent).toContain("Callback due");
  });

  it("acknowledges and snoozes without opening the complaint", async () => {
    reminders.mockResolvedValue(inbox());
    const { go } = renderReminders();
    const first = (await screen.findAllByTestId("reminder-row"))[0] as HTMLElement;
    fireEvent.click(within(first).getByTestId("ack-btn"));
    await waitFor(() => expect(ack).toHaveBeenCalledWith(["new"]));
    fireEvent.click(within(first).getByTestId("snooze-10"));
    await waitFor(() => expect(snooze).toHaveBeenCalledWith(["new"], 10));
    fireEvent.click(within(first).getByTestId("snooze-30"));
    await waitFor(() => expect(snooze).toHaveBeenLastCalledWith(["new"], 30));
    expect(go).not.toHaveBeenCalled();
  });

  it("shows a failed acknowledgement", async () => {
    reminders.mockResolvedValue(inbox());
    ack.mockRejectedValueOnce({ code: "store_busy", message: "busy", transient: true });
    renderReminders();
    fireEvent.click((await screen.findAllByTestId("ack-btn"))[0] as HTMLElement);
    expect((await screen.findByTestId("error")).getAttribute("data-code")).toBe("store_busy");
  });

  it("opens the complaint on click and on Enter", async () => {
    reminders.mockResolvedValue(inbox());
    const { go } = renderReminders();
    const [first, second] = (await screen.findAllByTestId("reminder-row")) as [HTMLElement, HTMLElement];
    fireEvent.click(first);
    expect(go).toHaveBeenLastCalledWith({ screen: "complaint", id: "c-new" });
    fireEvent.keyDown(second, { key: "Enter" });
    expect(go).toHaveBeenLastCalledWith({ screen: "complaint", id: "c-later" });
  });

  it("has empty states for an empty inbox and for nothing left to acknowledge", async () => {
    reminders.mockResolvedValue([]);
    renderReminders();
    expect((await screen.findByTestId("empty")).textContent).toContain("No reminders yet");
    cleanup();

    reminders.mockResolvedValue([reminder("done", { acked_at: new Date().toISOString() })]);
    renderReminders();
    expect((await screen.findByTestId("empty")).textContent).toContain("Nothing left to acknowledge");
  });

  it("reloads when reminders change", async () => {
    reminders.mockResolvedValue([reminder("a")]);
    renderReminders();
    await screen.findByTestId("reminder-row");
    reminders.mockResolvedValue([reminder("a"), reminder("b")]);
    act(() => publishChanged({ complaints: [], all: false, reminders: true, settings: false }));
    await waitFor(() => expect(screen.getAllByTestId("reminder-row")).toHaveLength(2));
  });
  it("groups reminders by complaint; the group row opens the complaint", async () => {
    reminders.mockResolvedValue([
      reminder("a1", { complaint_id: "c-a", number: "RD-7", customer_name: "Wang Fang" }),
      reminder("b1", { complaint_id: "c-b", number: "RD-8", customer_name: "Li Lei" }),
      reminder("a2", { complaint_id: "c-a", number: "RD-7", customer_name: "Wang Fang", kind: "progress_due" }),
    ]);
    const { go } = renderReminders();
    await screen.findAllByTestId("reminder-row");
    const groups = screen.getAllByTestId("reminder-group") as [HTMLElement, HTMLElement];
    expect(groups).toHaveLength(2);
    expect(groups[0].getAttribute("data-complaint")).toBe("c-a");
    expect(groups[0].textContent).toContain("RD-7 · Wang Fang");
    expect(within(groups[0]).getAllByTestId("reminder-row")).toHaveLength(2);
    expect(within(groups[1]).getAllByTestId("reminder-row")).toHaveLength(1);
    fireEvent.click(within(groups[1]).getByText("RD-8 · Li Lei"));
    expect(go).toHaveBeenLastCalledWith({ screen: "complaint", id: "c-b" });
  });

  it("acknowledges and snoozes the selected reminders in one call", async () => {
    reminders.mockResolvedValue([reminder("a"), reminder("b"), reminder("c")]);
    const { go } = renderReminders();
    const rows = (await screen.findAllByTestId("reminder-row")) as HTMLElement[];
    expect(screen.queryByTestId("bulk-ack")).toBeNull();
    fireEvent.click(within(rows[0] as HTMLElement).getByTestId("reminder-select"));
    fireEvent.click(within(rows[2] as HTMLElement).getByTestId("reminder-select"));
    expect(screen.getByTestId("selected-count").textContent).toContain("2 selected");
    fireEvent.click(screen.getByTestId("bulk-ack"));
    await waitFor(() => expect(ack).toHaveBeenCalledWith(["a", "c"]));
    // The selection clears after a bulk action succeeds.
    await waitFor(() => expect(screen.queryByTestId("bulk-ack")).toBeNull());

    fireEvent.click(screen.getByTestId("select-all"));
    fireEvent.click(screen.getByTestId("bulk-snooze"));
    await waitFor(() => expect(snooze).toHaveBeenCalledWith(["a", "b", "c"], 30));
    expect(go).not.toHaveBeenCalled();
  });

  it("keeps the selection when a bulk acknowledgement fails", async () => {
    reminders.mockResolvedValue([reminder("a"), reminder("b")]);
    ack.mockRejectedValueOnce({ code: "not_found", message: "gone", transient: false });
    renderReminders();
    await screen.findAllByTestId("reminder-row");
    fireEvent.click(screen.getByTestId("select-all"));
    fireEvent.click(screen.getByTestId("bulk-ack"));
    expect((await screen.findByTestId("error")).getAttribute("data-code")).toBe("not_found");
    expect(screen.getByTestId("selected-count").textContent).toContain("2 selected");
  });

  it("filters by kind, team and the complaints I own", async () => {
    reminders.mockResolvedValue([
      reminder("mine", { kind: "progress_due" }),
      reminder("theirs", { owner: "u2", kind: "sla_breach", department: "network" }),
      reminder("nobody", { owner: null, department: null }),
    ]);
    renderReminders();
    await screen.findAllByTestId("reminder-row");
    expect(keys()).toHaveLength(3);
    fireEvent.click(screen.getByTestId("filter-mine"));
    expect(keys()).toHaveLength(1);
    expect(keys()[0]).toContain("Title mine");
    fireEvent.click(screen.getByTestId("filter-mine"));
    fireEvent.change(screen.getByTestId("filter-kind"), { target: { value: "sla_breach" } });
    expect(keys()).toHaveLength(1);
    expect(keys()[0]).toContain("Title theirs");
    fireEvent.change(screen.getByTestId("filter-kind"), { target: { value: "" } });
    // The team filter offers the departments handling these complaints.
    const team = screen.getByTestId("filter-team") as HTMLSelectElement;
    expect([...team.options].map((o) => o.value)).toEqual(["", "billing", "network"]);
    fireEvent.change(team, { target: { value: "billing" } });
    expect(keys()).toHaveLength(1);
    expect(keys()[0]).toContain("Title mine");
  });

  it("lists cleared reminders with how they cleared and no actions", async () => {
    reminders.mockResolvedValue([reminder("open")]);
    const cleared = new Date(Date.now() - 5 * 60_000).toISOString();
    history.mockResolvedValue([
      reminder("posted", { kind: "progress_due", resolved_at: cleared, resolution: "done" }),
      reminder("old", { resolved_at: cleared, resolution: "superseded" }),
    ]);
    renderReminders();
    await screen.findAllByTestId("reminder-row");
    expect(history).not.toHaveBeenCalled();
    fireEvent.click(screen.getByTestId("tab-history"));
    await waitFor(() => expect(keys().join()).toContain("Title posted"));
    expect(history).toHaveBeenCalledWith(500);
    const [posted, old] = screen.getAllByTestId("reminder-row") as [HTMLElement, HTMLElement];
    expect(within(posted).getByTestId("reminder-status").getAttribute("data-status")).toBe("done");
    expect(posted.textContent).toContain("Dealt with");
    expect(within(old).getByTestId("reminder-status").getAttribute("data-status")).toBe("superseded");
    expect(old.textContent).toContain("Replaced by a later reminder");
    expect(screen.queryByTestId("ack-btn")).toBeNull();
    expect(screen.queryByTestId("reminder-select")).toBeNull();
    expect(screen.queryByTestId("unacked-only")).toBeNull();
  });

  it("has an empty state for an empty history", async () => {
    reminders.mockResolvedValue([]);
    history.mockResolvedValue([]);
    renderReminders();
    await screen.findByTestId("empty");
    fireEvent.click(screen.getByTestId("tab-history"));
    await waitFor(() => expect(history).toHaveBeenCalled());
    await waitFor(() => expect(screen.getByTestId("empty").textContent).toContain("Nothing cleared yet"));
  });
});
