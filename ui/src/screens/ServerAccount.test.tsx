import { cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../lib/api";
import { renderScreen } from "../test/render";
import { overview } from "../test/sync";
import { ServerAccount } from "./ServerAccount";

vi.mock("../lib/api", async (importOriginal) => (await import("../test/api")).mockApi(await importOriginal()));

const syncOverview = vi.mocked(api.syncOverview);
const signOut = vi.mocked(api.signOut);

beforeEach(() => {
  syncOverview.mockReset();
  signOut.mockReset();
});
afterEach(cleanup);

describe("ServerAccount", () => {
  it("offers sign-in on a standalone console", async () => {
    syncOverview.mockResolvedValue(overview({ status: { state: "standalone" }, server_url: null, token_store: null }));
    const { go } = renderScreen(<ServerAccount />);
    fireEvent.click(await screen.findByTestId("sign-in"));
    expect(go).toHaveBeenCalledWith({ screen: "signin" });
    expect(screen.getByTestId("server-linked").textContent).toBe("This console works on its own, without a server.");
    expect(screen.queryByTestId("token-store")).toBeNull();
  });

  it.each([
    ["keychain", "Your session is kept in the system keychain.", "会话凭据保存在系统钥匙串中。"],
    [
      "local_settings",
      "No system keychain is available: your session is kept in this console's local data file.",
      "系统钥匙串不可用：会话凭据保存在本控制台的本地数据文件中。",
    ],
  ] as const)("says the token is kept in %s", async (store, en, zh) => {
    syncOverview.mockResolvedValue(overview({ token_store: store }));
    renderScreen(<ServerAccount />);
    expect((await screen.findByTestId("token-store")).textContent).toBe(en);
    cleanup();
    renderScreen(<ServerAccount />, { lang: "zh-CN" });
    expect((await screen.findByTestId("token-store")).textContent).toBe(zh);
  });

  it("warns about changes not yet synced before signing out, and keeps them", async () => {
    syncOverview.mockResolvedValue(overview({ pending: 3 }));
    signOut.mockResolvedValue(overview({ status: { state: "signed_out" }, pending: 3, token_store: null }));
    renderScreen(<ServerAccount />);
    expect((await screen.findByTestId("server-linked")).textContent).toBe("Linked to http://127.0.0.1:8470 as amy.");
    fireEvent.click(screen.getByTestId("sign-out"));
    expect(screen.getByTestId("signout-pending").textContent).toBe(
      "3 changes not yet synced. They stay on this computer and are sent the next time you sign in.",
    );
    // Cancelling signs nothing out.
    fireEvent.click(screen.getByTestId("dialog-cancel"));
    expect(signOut).not.toHaveBeenCalled();
    fireEvent.click(screen.getByTestId("sign-out"));
    fireEvent.click(screen.getByTestId("dialog-confirm"));
    expect(signOut).toHaveBeenCalledTimes(1);
    await waitFor(() =>
      expect(screen.getByTestId("server-linked").textContent).toBe(
        "Signed out of http://127.0.0.1:8470. Changes made here wait until you sign in again.",
      ),
    );
    expect(screen.queryByTestId("signout-dialog")).toBeNull();
    expect(screen.getByTestId("sign-in")).toBeTruthy();
  });

  it("signs out without a warning when nothing is pending, in Chinese", async () => {
    syncOverview.mockResolvedValue(overview({ pending: 0 }));
    renderScreen(<ServerAccount />, { lang: "zh-CN" });
    fireEvent.click(await screen.findByTestId("sign-out"));
    expect(screen.getByTestId("signout-dialog").getAttribute("aria-label")).toBe("确定退出登录？");
    expect(screen.queryByTestId("signout-pending")).toBeNull();
  });
});
