import { act, cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { HeaderCounts } from "../bindings/HeaderCounts";
import { api } from "../lib/api";
import { publishChanged } from "../lib/changes";
import { renderScreen } from "../test/render";
import { NavBar } from "./NavBar";

vi.mock("../lib/api", async (importOriginal) => (await import("../test/api")).mockApi(await importOriginal()));

const counts = vi.mocked(api.counts);

function header(over: Partial<HeaderCounts> = {}): HeaderCounts {
  return { open: 9, at_risk: 2, breached: 1, approvals_waiting: 0, callbacks_due_24h: 0, reminders: 0, ...over };
}

beforeEach(() => {
  counts.mockReset();
  vi.mocked(api.syncOverview).mockResolvedValue(undefined as never);
});
afterEach(cleanup);

describe("NavBar", () => {
  it("shows what waits on each screen, and nothing where nothing waits", async () => {
    counts.mockResolvedValue(header({ approvals_waiting: 3, reminders: 120 }));
    renderScreen(<NavBar />);
    expect((await screen.findByTestId("nav-count-approvals")).textContent).toBe("3");
    expect(screen.getByTestId("nav-count-reminders").textContent).toBe("99+");
    expect(screen.getByTestId("nav-count-reminders").getAttribute("aria-label")).toBe("120 waiting");
    expect(screen.queryByTestId("nav-count-callbacks")).toBeNull();
    expect(screen.queryByTestId("nav-count-dashboard")).toBeNull();
  });

  it("counts again when reminders change, and drops a cleared count", async () => {
    counts.mockResolvedValue(header({ reminders: 2 }));
    renderScreen(<NavBar />);
    expect((await screen.findByTestId("nav-count-reminders")).textContent).toBe("2");
    counts.mockResolvedValue(header({ reminders: 0 }));
    act(() => publishChanged({ complaints: [], all: false, reminders: true, settings: false }));
    await waitFor(() => expect(screen.queryByTestId("nav-count-reminders")).toBeNull());
  });

  it("navigates, marks the current screen and names who is signed in", async () => {
    counts.mockResolvedValue(header());
    const { go } = renderScreen(<NavBar />, { route: { screen: "approvals" } });
    await waitFor(() => expect(counts).toHaveBeenCalled());
    expect(screen.getByTestId("nav-approvals").getAttribute("aria-current")).toBe("page");
    fireEvent.click(screen.getByTestId("nav-reminders"));
    expect(go).toHaveBeenCalledWith({ screen: "reminders" });
    expect(screen.getByTestId("whoami").textContent).toContain("Agent One");
  });
});
