import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { SyncIssue } from "../bindings/SyncIssue";
import { api } from "../lib/api";
import { renderScreen } from "../test/render";
import { SyncIssues } from "./SyncIssues";

vi.mock("../lib/api", async (importOriginal) => (await import("../test/api")).mockApi(await importOriginal()));

const issues = vi.mocked(api.syncIssues);
const dismiss = vi.mocked(api.dismissSyncIssue);

function issue(seq: number, over: Partial<SyncIssue> = {}): SyncIssue {
  return {
    client_seq: seq,
    complaint_id: `c-${seq}`,
    number: `TS-2026-00000${seq}`,
    mutation: "approval.decide",
    code: "approval_already_decided",
    message: "already decided",
    decided_by: "sam",
    decision: "approve",
    occurred_at: "2026-11-23T01:00:00Z",
    answered_at: "2026-11-23T01:05:00Z",
    ...over,
  };
}

beforeEach(() => {
  issues.mockReset();
  dismiss.mockReset();
  dismiss.mockResolvedValue(null);
});
afterEach(cleanup);

describe("SyncIssues", () => {
  const inbox = () => [
    issue(2),
    issue(1, { mutation: "complaint.judge", code: "invalid_transition", decided_by: null, decision: null }),
  ];

  it("lists each refusal with its reason, who came first and a link to the complaint", async () => {
    issues.mockResolvedValue(inbox());
    const { go } = renderScreen(<SyncIssues />, { route: { screen: "sync_issues" } });
    const rows = await screen.findAllByTestId("issue-row");
    expect(rows).toHaveLength(2);
    const first = within(rows[0] as HTMLElement);
    expect(first.getByTestId("issue-what").textContent).toBe("Approval decision");
    expect(first.getByTestId("issue-reason").textContent).toBe(
      "Someone has already decided this approval.",
    );
    // The code is for support, behind "Details", not in the sentence.
    expect(first.getByTestId("error-code").textContent).toBe("approval_already_decided");
    expect(first.getByTestId("issue-winner").textContent).toBe("sam decided first (approved)");
    expect(within(rows[1] as HTMLElement).getByTestId("issue-winner").textContent).toBe("—");
    expect(screen.getByTestId("issues-count").textContent).toBe("2 refused");
    fireEvent.click(first.getByTestId("complaint-link"));
    expect(go).toHaveBeenCalledWith({ screen: "complaint", id: "c-2" });
  });

  it("speaks Chinese", async () => {
    issues.mockResolvedValue(inbox());
    renderScreen(<SyncIssues />, { lang: "zh-CN" });
    const rows = await screen.findAllByTestId("issue-row");
    const first = within(rows[0] as HTMLElement);
    expect(screen.getByRole("heading").textContent).toContain("同步问题");
    expect(first.getByTestId("issue-what").textContent).toBe("审批决定");
    expect(first.getByTestId("issue-reason").textContent).toContain("该审批已由他人处理。");
    expect(first.getByTestId("issue-winner").textContent).toBe("sam 已先行处理（批准）");
  });

  it("dismisses an issue and shows the list again without it", async () => {
    issues.mockResolvedValueOnce(inbox()).mockResolvedValue([issue(1)]);
    renderScreen(<SyncIssues />);
    const rows = await screen.findAllByTestId("issue-row");
    fireEvent.click(within(rows[0] as HTMLElement).getByTestId("issue-dismiss"));
    expect(dismiss).toHaveBeenCalledWith(2);
    await waitFor(() => expect(screen.getAllByTestId("issue-row")).toHaveLength(1));
  });

  it("says so when there is nothing to show", async () => {
    issues.mockResolvedValue([]);
    renderScreen(<SyncIssues />);
    expect((await screen.findByTestId("empty")).textContent).toContain("No sync issues");
  });
});
