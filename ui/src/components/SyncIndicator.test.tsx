import { act, cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { SyncOverview } from "../bindings/SyncOverview";
import { api } from "../lib/api";
import { publishChanged } from "../lib/changes";
import { publishSyncStatus } from "../lib/sync";
import { renderScreen } from "../test/render";
import { overview } from "../test/sync";
import { SyncIndicator } from "./SyncIndicator";

vi.mock("../lib/api", async (importOriginal) => (await import("../test/api")).mockApi(await importOriginal()));

const syncOverview = vi.mocked(api.syncOverview);

beforeEach(() => {
  syncOverview.mockReset();
});
afterEach(cleanup);

const text = () => screen.getByTestId("sync-status-text").textContent;

describe("SyncIndicator", () => {
  it.each<[SyncOverview["status"], string, string]>([
    [{ state: "online" }, "Online", "在线"],
    [{ state: "syncing" }, "Syncing…", "同步中…"],
    [{ state: "offline", retry_in_s: 8, reason: "connection refused" }, "Offline · retrying in 8 s", "离线 · 8 秒后重试"],
    [{ state: "signed_out" }, "Signed out", "已退出登录"],
    [{ state: "needs_sign_in", code: "unauthorized", message: "" }, "Needs sign-in", "需要重新登录"],
    [{ state: "standalone" }, "Standalone · sign in", "单机模式 · 登录"],
  ])("shows %j in English and Chinese", async (status, en, zh) => {
    syncOverview.mockResolvedValue(overview({ status }));
    renderScreen(<SyncIndicator />);
    await waitFor(() => expect(text()).toBe(en));
    cleanup();
    renderScreen(<SyncIndicator />, { lang: "zh-CN" });
    await waitFor(() => expect(text()).toBe(zh));
  });

  it("counts pending changes and issues, and follows status events", async () => {
    syncOverview.mockResolvedValue(overview({ pending: 3, issues: 1 }));
    renderScreen(<SyncIndicator />);
    await waitFor(() => expect(screen.getByTestId("sync-pending").textContent).toBe("3 pending"));
    expect(screen.getByTestId("sync-issues-count").textContent).toBe("1 issues");
    act(() => publishSyncStatus(overview({ status: { state: "offline", retry_in_s: 30, reason: "down" }, pending: 4 })));
    expect(text()).toBe("Offline · retrying in 30 s");
    expect(screen.getByTestId("sync-status").title).toContain("down");
    expect(screen.getByTestId("sync-pending").textContent).toBe("4 pending");
    expect(screen.queryByTestId("sync-issues-count")).toBeNull();
  });

  it("reloads the pending count when something changed locally", async () => {
    syncOverview.mockResolvedValue(overview());
    renderScreen(<SyncIndicator />);
    await waitFor(() => expect(text()).toBe("Online"));
    expect(screen.queryByTestId("sync-pending")).toBeNull();
    syncOverview.mockResolvedValue(overview({ pending: 1 }));
    act(() => publishChanged({ complaints: ["c1"], all: false, reminders: false, settings: false }));
    await waitFor(() => expect(screen.getByTestId("sync-pending").textContent).toBe("1 pending"));
  });

  it("leads to sign-in when signed out and to the sync issues otherwise", async () => {
    syncOverview.mockResolvedValue(overview({ status: { state: "signed_out" } }));
    const { go } = renderScreen(<SyncIndicator />);
    await waitFor(() => expect(text()).toBe("Signed out"));
    fireEvent.click(screen.getByTestId("sync-status"));
    expect(go).toHaveBeenLastCalledWith({ screen: "signin" });
    act(() => publishSyncStatus(overview()));
    fireEvent.click(screen.getByTestId("sync-status"));
    expect(go).toHaveBeenLastCalledWith({ screen: "sync_issues" });
  });
});
