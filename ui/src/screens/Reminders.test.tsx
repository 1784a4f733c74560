import { act, cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ReminderRow } from "../bindings/ReminderRow";
import { api } from "../lib/api";
import { publishChanged } from "../lib/changes";
import { renderScreen } from "../test/render";
import { Reminders } from "./Reminders";

vi.mock("../lib/api", async (importOriginal) => (await import("../test/api")).mockApi(await importOriginal()));

const reminders = vi.mocked(api.reminders);
const ack = vi.mocked(api.ackReminder);
const snooze = vi.mocked(api.snoozeReminder);

function reminder(key: string, over: Partial<ReminderRow> = {}): ReminderRow {
  const now = Date.now();
  return {
    key,
    complaint_id: `c-${key}`,
    kind: "sla_warning",
    at: new Date(now - 60_000).toISOString(),
    due_at: new Date(now + 3600_000).toISOString(),
    fired_at: new Date(now - 60_000).toISOString(),
    title: `Title ${key}`,
    body: `Body ${key}`,
    acked_at: null,
    snoozed_until: null,
    ...over,
  };
}

function renderReminders() {
  return renderScreen(<Reminders />, { route: { screen: "reminders" } });
}

const keys = () => screen.queryAllByTestId("reminder-row").map((r) => r.textContent ?? "");

beforeEach(() => {
  reminders.mockReset();
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
    await waitFor(() => expect(ack).toHaveBeenCalledWith("new"));
    fireEvent.click(within(first).getByTestId("snooze-10"));
    await waitFor(() => expect(snooze).toHaveBeenCalledWith("new", 10));
    fireEvent.click(within(first).getByTestId("snooze-30"));
    await waitFor(() => expect(snooze).toHaveBeenLastCalledWith("new", 30));
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
});
