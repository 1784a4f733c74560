import { within, act, cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { SyncOverview } from "../bindings/SyncOverview";
import { api } from "../lib/api";
import { subscribeSyncStatus } from "../lib/sync";
import { renderScreen } from "../test/render";
import { overview } from "../test/sync";
import { SignIn } from "./SignIn";

vi.mock("../lib/api", async (importOriginal) => (await import("../test/api")).mockApi(await importOriginal()));

const syncOverview = vi.mocked(api.syncOverview);
const signIn = vi.mocked(api.signIn);

const standalone = overview({ status: { state: "standalone" }, server_url: null, user: null, token_store: null });

function fill(url: string, user: string, password: string) {
  fireEvent.change(screen.getByTestId("signin-url"), { target: { value: url } });
  fireEvent.change(screen.getByTestId("signin-user"), { target: { value: user } });
  fireEvent.change(screen.getByTestId("signin-password"), { target: { value: password } });
}

/** Enter in the password field submits the form, as a browser does. */
function pressEnter() {
  const form = screen.getByTestId("signin-form") as HTMLFormElement;
  fireEvent.keyDown(screen.getByTestId("signin-password"), { key: "Enter" });
  fireEvent.submit(form);
}

beforeEach(() => {
  syncOverview.mockReset();
  signIn.mockReset();
  syncOverview.mockResolvedValue(standalone);
});
afterEach(cleanup);

describe("SignIn", () => {
  it("signs in on Enter, shows it is working, then goes to the dashboard and publishes the status", async () => {
    let answer: (o: SyncOverview) => void = () => {};
    signIn.mockReturnValue(new Promise((r) => (answer = r)));
    const seen: SyncOverview[] = [];
    const off = subscribeSyncStatus((o) => seen.push(o));
    const { go } = renderScreen(<SignIn />, { route: { screen: "signin" } });
    await waitFor(() => expect(syncOverview).toHaveBeenCalled());
    fill(" http://127.0.0.1:8470 ", "amy", "correct horse");
    pressEnter();
    expect(signIn).toHaveBeenCalledWith("http://127.0.0.1:8470", "amy", "correct horse", {
      caFile: null,
      insecureHttp: false,
    });
    const button = screen.getByTestId("signin-submit") as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    expect(button.textContent).toBe("Signing in…");
    expect(screen.getByTestId("signin-form").getAttribute("aria-busy")).toBe("true");
    // A second Enter while busy sends nothing.
    pressEnter();
    expect(signIn).toHaveBeenCalledTimes(1);
    await act(async () => answer(overview()));
    expect(go).toHaveBeenCalledWith({ screen: "dashboard" });
    expect(seen.at(-1)?.status.state).toBe("online");
    off();
  });

  it("sends the trusted certificate file and, after a visible warning, the insecure-http permission", async () => {
    signIn.mockResolvedValue(overview());
    const { go } = renderScreen(<SignIn />);
    fill("http://redress.lan:8470", "amy", "correct horse");
    fireEvent.change(screen.getByTestId("signin-ca-file"), { target: { value: " /etc/redress/ca.pem " } });
    expect(screen.queryByTestId("signin-insecure-warning")).toBeNull();
    fireEvent.click(screen.getByTestId("signin-insecure-http"));
    expect(screen.getByTestId("signin-insecure-warning").textContent).toContain("Without encryption");
    pressEnter();
    expect(signIn).toHaveBeenCalledWith("http://redress.lan:8470", "amy", "correct horse", {
      caFile: "/etc/redress/ca.pem",
      insecureHttp: true,
    });
    await waitFor(() => expect(go).toHaveBeenCalledWith({ screen: "dashboard" }));
  });

  it.each([
    ["insecure_transport", "Unencrypted http:// is allowed only to this computer."],
    ["tls_failed", "The secure connection to the server failed"],
    ["invalid_ca_file", "The trusted certificate file cannot be read"],
  ])("explains the transport refusal %s", async (code, text) => {
    signIn.mockRejectedValue({ code, message: "from rust", transient: false, fields: [] });
    renderScreen(<SignIn />);
    fill("http://h:1", "amy", "pw");
    pressEnter();
    const error = await screen.findByTestId("error");
    expect(error.dataset.code).toBe(code);
    expect(error.textContent).toContain(text);
  });

  it.each([
    ["invalid_credentials", "Wrong user name or password."],
    ["server_unreachable", "The server cannot be reached. Check the address and the network."],
    ["protocol_mismatch", "This console and the server speak different versions; update the console."],
  ])("shows %s with its message and code, keeps the address and clears the password", async (code, text) => {
    signIn.mockRejectedValue({ code, message: "from rust", transient: false, fields: [] });
    const { go } = renderScreen(<SignIn />);
    fill("http://h:1", "amy", "wrong");
    pressEnter();
    const error = await screen.findByTestId("error");
    expect(error.dataset.code).toBe(code);
    expect(error.textContent).toContain(text);
    // The sentence is the user's; the code and Rust's message are in the details.
    expect(within(error).getByTestId("error-sentence").textContent).toBe(text);
    expect(within(error).getByTestId("error-code").textContent).toBe(code);
    expect(within(error).getByTestId("error-details").textContent).toContain("from rust");
    expect((screen.getByTestId("signin-url") as HTMLInputElement).value).toBe("http://h:1");
    expect((screen.getByTestId("signin-password") as HTMLInputElement).value).toBe("");
    expect((screen.getByTestId("signin-submit") as HTMLButtonElement).disabled).toBe(false);
    expect(go).not.toHaveBeenCalled();
  });

  it("explains why a store with standalone history cannot join, in Chinese too", async () => {
    signIn.mockRejectedValue({ code: "standalone_history", message: "", transient: false, fields: [] });
    renderScreen(<SignIn />, { lang: "zh-CN" });
    expect(screen.getByRole("heading").textContent).toBe("登录服务器");
    fill("http://h:1", "amy", "pw");
    pressEnter();
    const error = await screen.findByTestId("error");
    expect(error.textContent).toContain("本控制台已有未连接服务器时登记的投诉");
    expect(screen.getByTestId("standalone-history").textContent).toContain("归档后重新开始");
  });

  it("archives the standalone history after asking, then lets the user sign in again", async () => {
    signIn.mockRejectedValueOnce({ code: "standalone_history", message: "", transient: false, fields: [] });
    const archive = vi.mocked(api.archiveStandaloneHistory);
    archive.mockReset();
    archive.mockResolvedValue("/data/archive/20261206T230000.000Z");
    renderScreen(<SignIn />, { lang: "en" });
    fill("http://h:1", "amy", "pw");
    pressEnter();
    const panel = await screen.findByTestId("standalone-history");
    // Both ways are explained; nothing is lost either way.
    expect(panel.textContent).toContain("Archive and start fresh");
    expect(panel.textContent).toContain("Upload as an import");
    fireEvent.click(within(panel).getByTestId("archive-history"));
    const dialog = screen.getByTestId("archive-dialog");
    expect(archive).not.toHaveBeenCalled();
    fireEvent.click(within(dialog).getByTestId("dialog-confirm"));
    await waitFor(() => expect(archive).toHaveBeenCalledTimes(1));
    expect((await screen.findByTestId("archived")).textContent).toContain("/data/archive/20261206T230000.000Z");
    expect(screen.queryByTestId("standalone-history")).toBeNull();

    // Signing in again now works.
    signIn.mockResolvedValueOnce(standalone);
    fill("http://h:1", "amy", "pw");
    pressEnter();
    await waitFor(() => expect(signIn).toHaveBeenCalledTimes(2));
  });

  it("asks for every field before calling the server", async () => {
    renderScreen(<SignIn />);
    fill("http://h:1", "", "pw");
    pressEnter();
    expect(screen.getByTestId("signin-missing").textContent).toBe(
      "Enter the server address, your user name and your password.",
    );
    expect(signIn).not.toHaveBeenCalled();
  });

  it("fills in the linked server and says why when the session ended", async () => {
    syncOverview.mockResolvedValue(
      overview({ status: { state: "needs_sign_in", code: "unauthorized", message: "expired" }, user: "amy" }),
    );
    renderScreen(<SignIn />);
    await waitFor(() => expect((screen.getByTestId("signin-url") as HTMLInputElement).value).toBe("http://127.0.0.1:8470"));
    expect((screen.getByTestId("signin-user") as HTMLInputElement).value).toBe("amy");
    expect(screen.getByTestId("signin-expired").textContent).toContain("(unauthorized)");
    expect(screen.queryByTestId("signin-expired-why")).toBeNull();
  });

  it("explains a forked desktop, which signs in again as a new device", async () => {
    syncOverview.mockResolvedValue(
      overview({ status: { state: "needs_sign_in", code: "device_forked", message: "copy" }, user: "amy" }),
    );
    renderScreen(<SignIn />);
    await waitFor(() => expect(screen.getByTestId("signin-expired-why").textContent).toContain("new device identity"));
  });
});
