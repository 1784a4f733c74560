import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { IdentityStatus } from "../bindings/IdentityStatus";
import type { Settings as SettingsData } from "../bindings/Settings";
import { api } from "../lib/api";
import { fakeSettings, renderScreen } from "../test/render";
import { Settings } from "./Settings";

const START: SettingsData = fakeSettings({
  user: "agent1",
  display_name: "Wang Fang",
  approval_limit_minor: 50000,
  language: "zh-CN",
  notify: { ...fakeSettings().notify, approval_waiting: false },
});

/** Saving goes through `save` and then applies the settings, language included. */
function renderSettings(save?: (s: SettingsData) => Promise<void>) {
  return renderScreen(<Settings />, { settings: START, route: { screen: "settings" }, save }).save;
}

const input = (id: string) => screen.getByTestId(id) as HTMLInputElement;
const type = (id: string, value: string) => fireEvent.change(screen.getByTestId(id), { target: { value } });

vi.mock("../lib/api", async (importOriginal) => (await import("../test/api")).mockApi(await importOriginal()));

const identity = vi.mocked(api.identityStatus);
const STANDALONE: IdentityStatus = { first_run: false, from_server: false, role_changes: [] };

beforeEach(() => {
  identity.mockReset();
  identity.mockResolvedValue(STANDALONE);
  vi.mocked(api.syncOverview).mockReset();
  vi.mocked(api.syncOverview).mockResolvedValue({
    status: { state: "standalone" },
    server_url: null,
    user: null,
    pending: 0,
    rejected: 0,
    last_pull_at: null,
  } as never);
});
afterEach(cleanup);

describe("Settings", () => {
  it("shows the current settings", () => {
    renderSettings();
    expect(input("set-user").value).toBe("agent1");
    expect(input("set-name").value).toBe("Wang Fang");
    expect((screen.getByTestId("set-role") as HTMLSelectElement).value).toBe("agent");
    expect(input("set-limit").value).toBe("500");
    expect((screen.getByTestId("set-language") as HTMLSelectElement).value).toBe("zh-CN");
    expect(input("set-notify-approval_waiting").checked).toBe(false);
    expect(input("set-notify-sla_breach").checked).toBe(true);
    expect(input("set-summary").value).toBe("5");
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("设置");
  });

  it("saves what was entered and switches the language at once", async () => {
    const save = renderSettings();
    type("set-user", "  sup9 ");
    type("set-name", "Li Lei");
    fireEvent.change(screen.getByTestId("set-role"), { target: { value: "supervisor" } });
    type("set-limit", "1,200.5");
    // The language applies at once, alone: nothing else typed is saved yet.
    fireEvent.change(screen.getByTestId("set-language"), { target: { value: "en" } });
    await waitFor(() => expect(save).toHaveBeenCalledTimes(1));
    expect(save).toHaveBeenLastCalledWith({ ...START, language: "en" });
    await waitFor(() => expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("Settings"));
    expect(input("set-user").value).toBe("  sup9 ");
    fireEvent.click(screen.getByTestId("set-notify-approval_waiting"));
    fireEvent.click(screen.getByTestId("set-notify-progress_due"));
    type("set-summary", "12");
    fireEvent.click(screen.getByTestId("set-save"));
    // A change of role is confirmed first.
    const confirm = await screen.findByTestId("role-confirm");
    expect(confirm.textContent).toContain("From Agent to Supervisor");
    expect(save).toHaveBeenCalledTimes(1);
    fireEvent.click(within(confirm).getByTestId("dialog-confirm"));

    await waitFor(() => expect(save).toHaveBeenCalledTimes(2));
    expect(save).toHaveBeenLastCalledWith({
      user: "sup9",
      display_name: "Li Lei",
      role: "supervisor",
      approval_limit_minor: 120050,
      language: "en",
      notify: {
        progress_due: false,
        sla_warning: true,
        sla_breach: true,
        approval_waiting: true,
        callback_due: true,
        summary_over: 12,
      },
    });
    expect((await screen.findByTestId("set-saved")).textContent).toBe("Saved");
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("Settings");
  });

  it("stores an empty limit as none and an empty name as the user id", async () => {
    const save = renderSettings();
    type("set-limit", "  ");
    type("set-name", "");
    fireEvent.click(screen.getByTestId("set-save"));
    await waitFor(() => expect(save).toHaveBeenCalledTimes(1));
    expect(save.mock.calls[0]?.[0]).toMatchObject({ approval_limit_minor: null, display_name: "agent1" });
  });

  it("refuses a missing user id", async () => {
    const save = renderSettings();
    type("set-user", "   ");
    fireEvent.click(screen.getByTestId("set-save"));
    expect((await screen.findByTestId("set-user-error")).textContent).toBe("请填写用户 ID。");
    expect(input("set-user").getAttribute("aria-invalid")).toBe("true");
    expect(save).not.toHaveBeenCalled();
  });

  it("refuses a user id with spaces, and clears the message once fixed", async () => {
    const save = renderSettings();
    type("set-user", "li lei");
    fireEvent.click(screen.getByTestId("set-save"));
    expect((await screen.findByTestId("set-user-error")).textContent).toBe("用户 ID 不能包含空格。");
    expect(save).not.toHaveBeenCalled();
    type("set-user", "lilei");
    expect(screen.queryByTestId("set-user-error")).toBeNull();
  });

  it("refuses a limit that is not an amount and a summary threshold out of range", async () => {
    const save = renderSettings();
    type("set-limit", "12.345");
    type("set-summary", "51");
    fireEvent.click(screen.getByTestId("set-save"));
    expect((await screen.findByTestId("set-limit-error")).textContent).toContain("请输入金额");
    expect(screen.getByTestId("set-summary-error")).toBeTruthy();
    expect(save).not.toHaveBeenCalled();

    type("set-limit", "abc");
    type("set-summary", "0");
    fireEvent.click(screen.getByTestId("set-save"));
    expect(screen.getByTestId("set-limit-error")).toBeTruthy();
    expect(screen.getByTestId("set-summary-error")).toBeTruthy();
    expect(save).not.toHaveBeenCalled();

    type("set-limit", "99.9");
    type("set-summary", "50");
    fireEvent.click(screen.getByTestId("set-save"));
    await waitFor(() => expect(save).toHaveBeenCalledTimes(1));
    expect(save.mock.calls[0]?.[0]).toMatchObject({
      approval_limit_minor: 9990,
      notify: expect.objectContaining({ summary_over: 50 }),
    });
  });

  it("keeps what was typed when saving fails", async () => {
    const save = renderSettings(async () => {
      throw { code: "store_busy", message: "busy", transient: true };
    });
    type("set-name", "New Name");
    fireEvent.change(screen.getByTestId("set-language"), { target: { value: "en" } });
    await waitFor(() => expect(save).toHaveBeenCalledTimes(1));
    fireEvent.click(screen.getByTestId("set-save"));
    await waitFor(() => expect(save).toHaveBeenCalledTimes(2));
    const banner = await screen.findByTestId("error");
    expect(banner.getAttribute("data-code")).toBe("store_busy");
    expect(input("set-name").value).toBe("New Name");
    expect((screen.getByTestId("set-language") as HTMLSelectElement).value).toBe("en");
    expect(screen.queryByTestId("set-saved")).toBeNull();
    // Nothing was applied: still Chinese.
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("设置");
  });

  it("cancelling a role change saves nothing and keeps what was typed", async () => {
    const save = renderSettings();
    fireEvent.change(screen.getByTestId("set-role"), { target: { value: "admin" } });
    fireEvent.click(screen.getByTestId("set-save"));
    const confirm = await screen.findByTestId("role-confirm");
    fireEvent.click(within(confirm).getByTestId("dialog-cancel"));
    expect(screen.queryByTestId("role-confirm")).toBeNull();
    expect(save).not.toHaveBeenCalled();
    expect((screen.getByTestId("set-role") as HTMLSelectElement).value).toBe("admin");
  });

  it("shows the recorded role changes, and locks who I am when a server says it", async () => {
    identity.mockResolvedValue({
      first_run: false,
      from_server: true,
      role_changes: [{ at: "2026-11-23T01:00:00Z", user: "agent1", from: "agent", to: "manager" }],
    });
    const save = renderSettings();
    expect((await screen.findByTestId("role-history")).textContent).toContain("agent1：坐席 → 经理");
    expect(screen.getByTestId("set-from-server").textContent).toContain("服务器");
    expect((screen.getByTestId("set-role") as HTMLSelectElement).disabled).toBe(true);
    expect(input("set-user").disabled).toBe(true);
    expect(input("set-limit").disabled).toBe(true);
    // The language is still the user's own.
    fireEvent.change(screen.getByTestId("set-language"), { target: { value: "en" } });
    await waitFor(() => expect(save).toHaveBeenCalledTimes(1));
  });
});
