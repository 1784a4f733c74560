import { act, cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ApprovalItem } from "../bindings/ApprovalItem";
import { api } from "../lib/api";
import { publishChanged } from "../lib/changes";
import { fakeSettings, renderScreen } from "../test/render";
import { Approvals } from "./Approvals";

vi.mock("../lib/api", async (importOriginal) => (await import("../test/api")).mockApi(await importOriginal()));

const approvals = vi.mocked(api.approvals);
const execute = vi.mocked(api.execute);

function item(number: string, over: Partial<ApprovalItem> = {}): ApprovalItem {
  return {
    complaint_id: `c-${number}`,
    number,
    customer_name: `Customer ${number}`,
    approval: {
      id: `a-${number}`,
      remedy_id: `r-${number}`,
      remedy_revision: 3,
      kind: "refund",
      amount: { amount_minor: 123456, currency: "CNY" },
      requested_by: "agent7",
      // Half a minute into the 2h 05m, so a second either way shows the same.
      requested_at: new Date(Date.now() - 2 * 3600_000 - 5 * 60_000 - 30_000).toISOString(),
      required_role: "supervisor",
      state: "pending",
    },
    remedy: {} as ApprovalItem["remedy"],
    due_at: new Date(Date.now() + 3600_000).toISOString(),
    status: null,
    blocked: null,
    ...over,
  };
}

function renderApprovals() {
  const settings = fakeSettings({ user: "boss", display_name: "The Boss", role: "manager" });
  return renderScreen(<Approvals />, { settings, route: { screen: "approvals" } });
}

const rowOf = (number: string) => {
  const r = screen.getAllByTestId("approval-row").find((e) => e.getAttribute("data-number") === number);
  if (!r) throw new Error(`no row ${number}`);
  return r;
};

beforeEach(() => {
  approvals.mockReset();
  execute.mockReset();
});
afterEach(cleanup);

describe("Approvals", () => {
  it("disables the decision and says why for a blocked item", async () => {
    approvals.mockResolvedValue([
      item("OWN", { blocked: "self_approval_forbidden" }),
      item("BIG", { blocked: "authority_limit_exceeded" }),
      item("OK"),
    ]);
    renderApprovals();
    await screen.findAllByTestId("approval-row");

    const own = rowOf("OWN");
    expect((within(own).getByTestId("approve-btn") as HTMLButtonElement).disabled).toBe(true);
    expect((within(own).getByTestId("reject-btn") as HTMLButtonElement).disabled).toBe(true);
    expect(within(own).getByTestId("blocked-reason").textContent).toBe("You cannot approve your own request.");

    const big = rowOf("BIG");
    expect((within(big).getByTestId("approve-btn") as HTMLButtonElement).disabled).toBe(true);
    expect(within(big).getByTestId("blocked-reason").textContent).toBe(
      "The amount is beyond your approval authority.",
    );

    const ok = rowOf("OK");
    expect((within(ok).getByTestId("approve-btn") as HTMLButtonElement).disabled).toBe(false);
    expect((within(ok).getByTestId("reject-btn") as HTMLButtonElement).disabled).toBe(false);
    expect(within(ok).queryByTestId("blocked-reason")).toBeNull();

    // Clicking a disabled button opens nothing.
    fireEvent.click(within(own).getByTestId("approve-btn"));
    expect(screen.queryByRole("dialog")).toBeNull();
  });

  it("explains an unknown blocking code too", async () => {
    approvals.mockResolvedValue([item("X", { blocked: "something_new" })]);
    renderApprovals();
    const reason = await screen.findByTestId("blocked-reason");
    expect(reason.textContent).toBe("Unexpected error (something_new).");
    expect((screen.getByTestId("approve-btn") as HTMLButtonElement).disabled).toBe(true);
  });

  it("shows amount, proposer, time waiting and the approval countdown", async () => {
    approvals.mockResolvedValue([item("A")]);
    renderApprovals();
    const row = await screen.findByTestId("approval-row");
    expect(row.textContent).toContain("A");
    expect(row.textContent).toContain("Customer A");
    expect(row.textContent).toContain("Refund");
    expect(row.textContent).toContain("agent7");
    expect(within(row).getByTestId("approval-amount").textContent).toMatch(/1,234\.56/);
    expect(within(row).getByTestId("waiting").textContent).toBe("2h 05m");
    expect(within(row).getByTestId("countdown").getAttribute("data-status")).toBe("ok");
  });

  it("approves with an optional reason and sends decide_approval", async () => {
    approvals.mockResolvedValue([item("A")]);
    execute.mockResolvedValue(null);
    renderApprovals();
    fireEvent.click(await screen.findByTestId("approve-btn"));
    const dialog = screen.getByRole("dialog");
    // No reason is needed to approve.
    expect((within(dialog).getByTestId("dialog-confirm") as HTMLButtonElement).disabled).toBe(false);
    fireEvent.change(within(dialog).getByTestId("reason-input"), { target: { value: "  within policy " } });
    fireEvent.click(within(dialog).getByTestId("dialog-confirm"));

    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(execute).toHaveBeenCalledTimes(1);
    expect(execute).toHaveBeenCalledWith("c-A", {
      name: "decide_approval",
      args: { approval_id: "a-A", remedy_revision: 3, approve: true, reason: "within policy" },
    });
    expect(screen.getByTestId("notice").textContent).toContain("Approved");
  });

  it("requires a reason to reject", async () => {
    approvals.mockResolvedValue([item("A")]);
    execute.mockResolvedValue(null);
    renderApprovals();
    fireEvent.click(await screen.findByTestId("reject-btn"));
    const dialog = screen.getByRole("dialog");
    const confirm = within(dialog).getByTestId("dialog-confirm") as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    expect(confirm.className).toContain("danger");
    fireEvent.change(within(dialog).getByTestId("reason-input"), { target: { value: "   " } });
    expect(confirm.disabled).toBe(true);
    fireEvent.submit(dialog);
    expect(execute).not.toHaveBeenCalled();

    fireEvent.change(within(dialog).getByTestId("reason-input"), { target: { value: "amount too high" } });
    expect(confirm.disabled).toBe(false);
    fireEvent.click(confirm);
    await waitFor(() => expect(execute).toHaveBeenCalledTimes(1));
    expect(execute).toHaveBeenCalledWith("c-A", {
      name: "decide_approval",
      args: { approval_id: "a-A", remedy_revision: 3, approve: false, reason: "amount too high" },
    });
  });

  it("keeps the dialog and the typed reason when the decision fails", async () => {
    approvals.mockResolvedValue([item("A")]);
    execute.mockRejectedValueOnce({
      code: "remedy_changed_since_viewed",
      message: "stale",
      transient: false,
    });
    renderApprovals();
    fireEvent.click(await screen.findByTestId("reject-btn"));
    fireEvent.change(screen.getByTestId("reason-input"), { target: { value: "not justified" } });
    fireEvent.click(screen.getByTestId("dialog-confirm"));

    const banner = await within(screen.getByRole("dialog")).findByTestId("error");
    expect(banner.getAttribute("data-code")).toBe("remedy_changed_since_viewed");
    expect(banner.textContent).toContain("The remedy changed since you opened it");
    expect((screen.getByTestId("reason-input") as HTMLTextAreaElement).value).toBe("not justified");
    expect(screen.queryByTestId("notice")).toBeNull();

    // Cancel closes without a second attempt.
    fireEvent.click(screen.getByTestId("dialog-cancel"));
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(execute).toHaveBeenCalledTimes(1);
  });

  it("opens the complaint from the number", async () => {
    approvals.mockResolvedValue([item("A")]);
    const { go } = renderApprovals();
    fireEvent.click(await screen.findByRole("button", { name: "A" }));
    expect(go).toHaveBeenCalledWith({ screen: "complaint", id: "c-A" });
  });

  it("shows an empty state", async () => {
    approvals.mockResolvedValue([]);
    renderApprovals();
    expect((await screen.findByTestId("empty")).textContent).toContain("No approvals waiting");
  });

  it("reloads when complaints or settings change", async () => {
    approvals.mockResolvedValue([item("A")]);
    renderApprovals();
    await screen.findByTestId("approval-row");
    const calls = approvals.mock.calls.length;
    act(() => publishChanged({ complaints: [], all: false, reminders: false, settings: true }));
    expect(approvals.mock.calls.length).toBe(calls + 1);
    act(() => publishChanged({ complaints: ["c-A"], all: false, reminders: false, settings: false }));
    expect(approvals.mock.calls.length).toBe(calls + 2);
    act(() => publishChanged({ complaints: [], all: false, reminders: true, settings: false }));
    expect(approvals.mock.calls.length).toBe(calls + 2);
    await screen.findByTestId("approval-row");
  });
});
