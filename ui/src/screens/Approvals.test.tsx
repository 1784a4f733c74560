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
    brief: {
      category: "billing.overcharge",
      demand: `Refund the overcharge on ${number}`,
      kind: "demand_driven",
      demand_class: "emotional_compensation",
      severity: 2,
      public_exposure: false,
      repeat_ordinal: null,
      escalated: false,
      state: "awaiting_approval",
    },
    remedy: {
      id: `r-${number}`,
      kind: "refund",
      amount: { amount_minor: 123456, currency: "CNY" },
      note: "",
      revision: 3,
      round: 0,
      state: "pending_approval",
      proposed_by: "agent7",
      proposed_at: new Date(Date.now() - 3 * 3600_000).toISOString(),
      auto_approved: false,
    } as ApprovalItem["remedy"],
    due_at: new Date(Date.now() + 3600_000).toISOString(),
    warn_at: new Date(Date.now() + 1800_000).toISOString(),
    status: null,
    blocked: null,
    deciders: ["supervisor", "manager", "admin"],
    earlier: [],
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
  vi.mocked(api.decidedApprovals).mockReset();
  execute.mockReset();
});
afterEach(cleanup);

describe("Approvals", () => {
  it("moves what I cannot decide to its own section, with why and who can", async () => {
    approvals.mockResolvedValue([
      item("OWN", { blocked: "self_approval_forbidden" }),
      item("BIG", { blocked: "authority_limit_exceeded", deciders: ["manager", "admin"] }),
      item("OK"),
    ]);
    renderApprovals();
    await screen.findAllByTestId("approval-row");

    const mine = screen.getByTestId("approvals-table");
    expect(within(mine).getAllByTestId("approval-row").map((r) => r.getAttribute("data-number"))).toEqual(["OK"]);
    expect(screen.getByText("1 waiting")).toBeTruthy();
    const others = screen.getByTestId("others-section");
    expect(others.textContent).toContain("Waiting for someone else (2)");
    // No decision buttons there at all, only the reason and who can decide.
    expect(within(others).queryByTestId("approve-btn")).toBeNull();
    expect(within(others).queryByTestId("reject-btn")).toBeNull();

    const own = rowOf("OWN");
    expect(within(own).getByTestId("blocked-reason").textContent).toBe("You cannot approve your own request.");
    expect(within(own).getByTestId("deciders").textContent).toBe("Can decide: Supervisor, Manager, or Administrator");
    const big = rowOf("BIG");
    expect(within(big).getByTestId("blocked-reason").textContent).toBe(
      "The amount is beyond your approval authority.",
    );
    expect(within(big).getByTestId("deciders").textContent).toBe("Can decide: Manager or Administrator");
    expect(within(rowOf("OK")).queryByTestId("blocked-reason")).toBeNull();
  });

  it("says so when everything waits for someone else, and names no role when none can", async () => {
    approvals.mockResolvedValue([item("X", { blocked: "unknown", deciders: [] })]);
    renderApprovals();
    const reason = await screen.findByTestId("blocked-reason");
    expect(reason.textContent).toBe("Something unexpected went wrong.");
    expect(reason.getAttribute("data-code")).toBe("unknown");
    expect(screen.getByTestId("nothing-mine").textContent).toBe("Nothing waits for your decision.");
    expect(screen.getByTestId("deciders").textContent).toContain("No role's limit covers this amount");
    expect(screen.queryByTestId("approve-btn")).toBeNull();
  });

  it("shows the complaint in brief, the proposer's note, the tier and earlier decisions", async () => {
    approvals.mockResolvedValue([
      item("A", {
        brief: {
          ...item("A").brief,
          severity: 4,
          public_exposure: true,
          repeat_ordinal: 3,
        },
        remedy: {
          ...item("A").remedy,
          note: "Third visit failed; refund three months",
          tier: { extra_minor: 5000, extra_kind: "voucher", condition: "keeps the contract" },
        },
        earlier: [
          {
            ...item("A").approval,
            id: "a-old",
            state: "rejected",
            decided_by: "sup.zhang",
            decided_at: "2026-12-01T02:05:00Z",
            reason: "check the outage log first",
          },
        ],
      }),
    ]);
    renderApprovals();
    const row = await screen.findByTestId("approval-row");
    expect(row.textContent).toContain("Refund the overcharge on A");
    expect(within(row).getByTestId("approval-note").textContent).toBe("“Third visit failed; refund three months”");
    expect(within(row).getByTestId("approval-tier").textContent).toContain("if: keeps the contract");
    expect(within(row).getByTestId("brief-public").textContent).toBe("Public exposure");
    expect(within(row).getByTestId("brief-repeat").textContent).toBe("Repeat #3");
    expect(within(row).getByTestId("brief-tags").textContent).toContain("Critical");
    expect(within(row).getByTestId("approval-earlier").textContent).toContain(
      "rejected by sup.zhang",
    );
    expect(within(row).getByTestId("approval-earlier").textContent).toContain("check the outage log first");

    fireEvent.click(within(row).getByTestId("approve-btn"));
    const dialog = screen.getByRole("dialog");
    expect(within(dialog).getByTestId("decide-note").textContent).toBe("Third visit failed; refund three months");
    expect(within(dialog).getByTestId("decide-facts").textContent).toContain("Refund the overcharge on A");
    expect(within(dialog).getByTestId("decide-facts").textContent).toContain("if: keeps the contract");
    expect(within(dialog).getByTestId("decide-earlier").textContent).toContain("check the outage log first");
    expect(within(dialog).getByTestId("countdown").getAttribute("data-status")).toBe("ok");
  });

  it("says when the proposer left no note", async () => {
    approvals.mockResolvedValue([item("A")]);
    renderApprovals();
    const row = await screen.findByTestId("approval-row");
    expect(within(row).queryByTestId("approval-note")).toBeNull();
    fireEvent.click(within(row).getByTestId("reject-btn"));
    expect(screen.getByTestId("decide-note").textContent).toBe("No note given.");
  });

  it("colours the approval clock from its own warning instant", async () => {
    approvals.mockResolvedValue([item("A", { warn_at: new Date(Date.now() - 60_000).toISOString() })]);
    renderApprovals();
    const row = await screen.findByTestId("approval-row");
    expect(within(row).getByTestId("countdown").getAttribute("data-status")).toBe("warning");
  });

  it("lists recent decisions with who, when and why on the Decided tab", async () => {
    approvals.mockResolvedValue([]);
    vi.mocked(api.decidedApprovals).mockResolvedValue([
      {
        complaint_id: "c-D",
        number: "D",
        customer_name: "Customer D",
        note: "goodwill refund",
        approval: {
          ...item("D").approval,
          state: "approved",
          decided_by: "mgr.wang",
          decided_at: "2026-12-01T02:05:00Z",
          reason: "within policy",
        },
      },
      {
        complaint_id: "c-E",
        number: "E",
        customer_name: "Customer E",
        note: "",
        approval: { ...item("E").approval, state: "rejected", decided_by: "sup.zhang", decided_at: "2026-12-01T01:00:00Z" },
      },
    ]);
    renderApprovals();
    await screen.findByTestId("empty");
    fireEvent.click(screen.getByTestId("tab-decided"));
    const rows = await screen.findAllByTestId("decided-row");
    expect(vi.mocked(api.decidedApprovals)).toHaveBeenCalledWith(7);
    expect(rows.map((r) => r.getAttribute("data-number"))).toEqual(["D", "E"]);
    const [d, e] = rows as [HTMLElement, HTMLElement];
    expect(within(d).getByTestId("decision").textContent).toBe("Approved");
    expect(within(d).getByTestId("decided-by").textContent).toBe("mgr.wang");
    expect(d.textContent).toContain("within policy");
    expect(d.textContent).toContain("goodwill refund");
    expect(within(e).getByTestId("decision").getAttribute("data-state")).toBe("rejected");
    expect(screen.getByTestId("tab-decided").textContent).toBe("Decided (last 7 days)");
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
