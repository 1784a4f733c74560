import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { CallbackItem } from "../bindings/CallbackItem";
import type { Command } from "../bindings/Command";
import { api } from "../lib/api";
import { renderScreen } from "../test/render";
import { Callbacks } from "./Callbacks";

vi.mock("../lib/api", async (importOriginal) => (await import("../test/api")).mockApi(await importOriginal()));

const callbacks = vi.mocked(api.callbacks);
const execute = vi.mocked(api.execute);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function item(number: string, over: Partial<CallbackItem> = {}): CallbackItem {
  return {
    complaint_id: `c-${number}`,
    number,
    customer_name: `Customer ${number}`,
    customer_phone: "+8613800001111",
    resolved_at: new Date(Date.now() - 3600_000).toISOString(),
    next_attempt_at: new Date(Date.now() - 60_000).toISOString(),
    due_at: new Date(Date.now() + 20 * 3600_000).toISOString(),
    attempts: 1,
    overdue: false,
    scale: { satisfied: [5, 4, 3], not_satisfied: [2, 1] },
    ...over,
  };
}

function renderCallbacks() {
  return renderScreen(<Callbacks />, { route: { screen: "callbacks" } });
}

const sent = (): Command => {
  const c = execute.mock.calls.at(-1)?.[1];
  if (!c) throw new Error("nothing sent");
  return c;
};

beforeEach(() => {
  callbacks.mockReset();
  execute.mockReset();
  execute.mockResolvedValue(null);
});
afterEach(cleanup);

describe("Callbacks", () => {
  it("lists callbacks and highlights overdue ones", async () => {
    callbacks.mockResolvedValue([
      item("LATE", { overdue: true, due_at: new Date(Date.now() - 600_000).toISOString(), attempts: 2 }),
      item("FINE"),
    ]);
    renderCallbacks();
    const rows = await screen.findAllByTestId("callback-row");
    expect(rows.map((r) => r.getAttribute("data-number"))).toEqual(["LATE", "FINE"]);
    const [late, fine] = rows as [HTMLElement, HTMLElement];
    expect(within(late).getByTestId("overdue").textContent).toBe("Overdue");
    expect(late.getAttribute("data-overdue")).toBe("true");
    expect(within(late).getByTestId("countdown").getAttribute("data-status")).toBe("breached");
    expect(within(late).getByTestId("attempts").textContent).toBe("2");
    expect(within(fine).queryByTestId("overdue")).toBeNull();
    expect(within(fine).getByTestId("countdown").getAttribute("data-status")).toBe("ok");
    expect(fine.textContent).toContain("+8613800001111");
  });

  it("records a satisfied callback with the chosen score, offering only satisfied scores", async () => {
    callbacks.mockResolvedValue([item("A")]);
    renderCallbacks();
    fireEvent.click(await screen.findByTestId("cb-satisfied"));
    const select = screen.getByTestId("cb-score") as HTMLSelectElement;
    // No score is preset, and none below 3 is offered.
    expect(select.value).toBe("");
    expect([...select.options].map((o) => o.textContent)).toEqual([
      "Choose what the customer said",
      "5 – Very satisfied",
      "4 – Satisfied",
      "3 – Acceptable",
    ]);
    const confirm = screen.getByTestId("dialog-confirm") as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    fireEvent.change(select, { target: { value: "4" } });
    expect(confirm.disabled).toBe(false);
    fireEvent.change(screen.getByTestId("cb-note"), { target: { value: "happy now " } });
    fireEvent.click(confirm);
    await waitFor(() => expect(execute).toHaveBeenCalledTimes(1));
    expect(execute.mock.calls[0]?.[0]).toBe("c-A");
    const c = sent();
    expect(c).toEqual({
      name: "record_callback",
      args: { attempt_id: expect.stringMatching(UUID), note: "happy now", outcome: "satisfied", score: 4 },
    });
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(screen.getByTestId("notice").textContent).toContain("A");
  });

  it("not satisfied needs a score of 1-2 and the reason, and warns that it reopens", async () => {
    callbacks.mockResolvedValue([item("A")]);
    renderCallbacks();
    fireEvent.click(await screen.findByTestId("cb-not-satisfied"));
    const dialog = screen.getByRole("dialog");
    expect(within(dialog).getByTestId("cb-consequence").textContent).toMatch(/reopens the complaint/);
    const select = within(dialog).getByTestId("cb-score") as HTMLSelectElement;
    expect([...select.options].map((o) => o.value)).toEqual(["", "2", "1"]);
    expect(dialog.textContent).toContain("Why is the customer not satisfied? (required)");
    const confirm = within(dialog).getByTestId("dialog-confirm") as HTMLButtonElement;
    expect(confirm.className).toContain("danger");
    expect(confirm.textContent).toBe("Reopen the complaint");
    // A reason alone is not enough, nor a score alone.
    fireEvent.change(within(dialog).getByTestId("cb-note"), { target: { value: "refund still missing" } });
    expect(confirm.disabled).toBe(true);
    fireEvent.change(select, { target: { value: "1" } });
    fireEvent.change(within(dialog).getByTestId("cb-note"), { target: { value: "   " } });
    expect(confirm.disabled).toBe(true);
    fireEvent.submit(dialog);
    expect(execute).not.toHaveBeenCalled();
    fireEvent.change(within(dialog).getByTestId("cb-note"), { target: { value: "refund still missing" } });
    expect(confirm.disabled).toBe(false);
    fireEvent.click(confirm);
    await waitFor(() => expect(execute).toHaveBeenCalledTimes(1));
    expect(sent()).toEqual({
      name: "record_callback",
      args: {
        attempt_id: expect.stringMatching(UUID),
        note: "refund still missing",
        outcome: "not_satisfied",
        score: 1,
      },
    });
  });

  it("records unreachable, and reuses the attempt id when retrying after a failure", async () => {
    callbacks.mockResolvedValue([item("A", { attempts: 1 })]);
    execute.mockRejectedValueOnce({ code: "store_busy", message: "busy", transient: true });
    renderCallbacks();
    fireEvent.click(await screen.findByTestId("cb-unreachable"));
    expect(screen.getByTestId("cb-consequence").textContent).toContain("attempt 2");
    fireEvent.change(screen.getByTestId("cb-note"), { target: { value: "no answer" } });
    fireEvent.click(screen.getByTestId("dialog-confirm"));

    const banner = await within(screen.getByRole("dialog")).findByTestId("error");
    expect(banner.getAttribute("data-code")).toBe("store_busy");
    expect((screen.getByTestId("cb-note") as HTMLTextAreaElement).value).toBe("no answer");
    const first = sent();

    fireEvent.click(screen.getByTestId("dialog-confirm"));
    await waitFor(() => expect(execute).toHaveBeenCalledTimes(2));
    const second = sent();
    expect(second).toEqual({
      name: "record_callback",
      args: { attempt_id: expect.stringMatching(UUID), note: "no answer", outcome: "unreachable" },
    });
    expect(second.name === "record_callback" && first.name === "record_callback").toBe(true);
    if (second.name === "record_callback" && first.name === "record_callback") {
      expect(second.args.attempt_id).toBe(first.args.attempt_id);
    }
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
  });

  it("uses a fresh attempt id for each new recording", async () => {
    callbacks.mockResolvedValue([item("A")]);
    renderCallbacks();
    fireEvent.click(await screen.findByTestId("cb-unreachable"));
    fireEvent.click(screen.getByTestId("dialog-confirm"));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    fireEvent.click(screen.getByTestId("cb-unreachable"));
    fireEvent.click(screen.getByTestId("dialog-confirm"));
    await waitFor(() => expect(execute).toHaveBeenCalledTimes(2));
    const ids = execute.mock.calls.map((c) => (c[1].name === "record_callback" ? c[1].args.attempt_id : ""));
    expect(ids[0]).not.toBe(ids[1]);
  });

  it("keeps the focus in the note while typing", async () => {
    callbacks.mockResolvedValue([item("A")]);
    renderCallbacks();
    fireEvent.click(await screen.findByTestId("cb-satisfied"));
    // The dialog starts on its first field, the score.
    expect(document.activeElement).toBe(screen.getByTestId("cb-score"));
    const note = screen.getByTestId("cb-note");
    note.focus();
    fireEvent.change(note, { target: { value: "a" } });
    fireEvent.change(note, { target: { value: "ab" } });
    expect(document.activeElement).toBe(note);
  });

  it("cancel sends nothing", async () => {
    callbacks.mockResolvedValue([item("A")]);
    renderCallbacks();
    fireEvent.click(await screen.findByTestId("cb-satisfied"));
    fireEvent.click(screen.getByTestId("dialog-cancel"));
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(execute).not.toHaveBeenCalled();
  });

  it("shows an empty state", async () => {
    callbacks.mockResolvedValue([]);
    renderCallbacks();
    expect((await screen.findByTestId("empty")).textContent).toContain("No callbacks due");
  });
});
