import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../lib/api";
import { fakeSettings } from "../test/render";
import { WhoAmI } from "./WhoAmI";

vi.mock("../lib/api", async (importOriginal) => (await import("../test/api")).mockApi(await importOriginal()));

const setSettings = vi.mocked(api.setSettings);

beforeEach(() => {
  setSettings.mockReset();
  setSettings.mockResolvedValue(null);
});
afterEach(cleanup);

describe("WhoAmI", () => {
  it("asks for a name, an ID and a role, agent by default, and saves them", async () => {
    const defaults = fakeSettings({ user: "sup.zhang", display_name: "张主管", role: "supervisor", language: "zh-CN" });
    const onDone = vi.fn();
    render(<WhoAmI defaults={defaults} onDone={onDone} />);
    expect(screen.getByRole("heading").textContent).toBe("请问是谁在使用本控制台？");
    // Nothing is assumed: no name, no ID, the least authority.
    expect((screen.getByTestId("whoami-name") as HTMLInputElement).value).toBe("");
    expect((screen.getByTestId("whoami-role") as HTMLSelectElement).value).toBe("agent");

    // The language applies at once, before anything is stored.
    fireEvent.change(screen.getByTestId("whoami-language"), { target: { value: "en" } });
    expect(screen.getByRole("heading").textContent).toBe("Who is at this console?");
    expect(setSettings).not.toHaveBeenCalled();

    fireEvent.click(screen.getByTestId("whoami-start"));
    expect(screen.getByText("Enter your name.")).toBeTruthy();
    expect(screen.getByText("Enter a user ID.")).toBeTruthy();
    fireEvent.change(screen.getByTestId("whoami-name"), { target: { value: " Li Na " } });
    fireEvent.change(screen.getByTestId("whoami-user"), { target: { value: "li na" } });
    fireEvent.click(screen.getByTestId("whoami-start"));
    expect(screen.getByText("A user ID cannot contain spaces.")).toBeTruthy();
    expect(setSettings).not.toHaveBeenCalled();

    fireEvent.change(screen.getByTestId("whoami-user"), { target: { value: "agent.li" } });
    fireEvent.change(screen.getByTestId("whoami-role"), { target: { value: "manager" } });
    fireEvent.click(screen.getByTestId("whoami-start"));
    await waitFor(() => expect(onDone).toHaveBeenCalledTimes(1));
    const saved = { ...defaults, user: "agent.li", display_name: "Li Na", role: "manager", language: "en", approval_limit_minor: null };
    expect(setSettings).toHaveBeenCalledWith(saved);
    expect(onDone).toHaveBeenCalledWith(saved);
  });
});
