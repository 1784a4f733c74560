import { act, cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import type { ComplaintView } from "../bindings/ComplaintView";
import type { Role } from "../bindings/Role";
import type { Step } from "../bindings/Step";
import type { StepOffer } from "../bindings/StepOffer";
import { api } from "../lib/api";
import { fakeSettings, renderScreen } from "../test/render";
import { ComplaintDetail } from "./ComplaintDetail";

vi.mock("../lib/api", async (importOriginal) => (await import("../test/api")).mockApi(await importOriginal()));

const complaintMock = vi.mocked(api.complaint);
const executeMock = vi.mocked(api.execute);

const ID = "0195f0c2-0000-7000-8000-000000000001";
const CLOCK_FR = "c0000000-0000-5000-8000-000000000001";
const CLOCK_PU = "c0000000-0000-5000-8000-000000000002";
const CLOCK_RES = "c0000000-0000-5000-8000-000000000003";
const REMEDY = "r0000000-0000-4000-8000-000000000001";
const UPDATE = "u0000000-0000-4000-8000-000000000001";
const FAR = "2099-01-01T00:00:00Z";

function clock(id: string, kind: "first_response" | "progress_update" | "resolution") {
  return {
    id,
    kind,
    approval: null,
    calendar: "24x7",
    target_secs: 3600,
    warn_at_permille: [750],
    cycle: 1,
    started_at: "2026-03-02T01:00:00Z",
    pauses: [],
    due_at: FAR,
    stopped: null,
    history: [],
  };
}

/** A step the rulebook allows; `on` names a remedy or clock. */
function may(step: Step, on?: { remedy?: string; clock?: string }, main = false): StepOffer {
  const target: StepOffer["target"] = on?.remedy
    ? { kind: "remedy", id: on.remedy }
    : on?.clock
      ? { kind: "clock", id: on.clock }
      : { kind: "complaint" };
  return { step, target, allowed: true, main };
}

/** A step the rulebook refuses, with the role that could take it. */
function needs(step: Step, role: Role): StepOffer {
  return { step, target: { kind: "complaint" }, allowed: false, main: false, refusal: "forbidden_role", needs_role: role };
}

/** What the rulebook offers an agent on the analysed fixture. */
const ANALYSED: StepOffer[] = [
  may("assign"),
  may("set_root_cause"),
  may("propose_remedy", undefined, true),
  may("add_progress"),
  may("pause_clock", { clock: CLOCK_PU }),
  may("resume_clock", { clock: CLOCK_RES }),
];

/** An analysed complaint with one approved remedy, one paused clock and a short history. */
function fixture(state: ComplaintView["complaint"]["state"] = "analysed", steps: StepOffer[] = ANALYSED): ComplaintView {
  return {
    steps,
    pending: true,
    now: "2026-03-02T02:00:00Z",
    callback_scale: { satisfied: [5, 4, 3], not_satisfied: [2, 1] },
    phone_display: "138 0013 8000",
    linked: [
      {
        id: "0195f0c2-0000-7000-8000-000000000000",
        number: "TS-2026-000007",
        state: "closed",
        received_at: "2026-02-20T01:00:00Z",
        demand: "Refund the extra fee",
      },
    ],
    clocks: [
      {
        clock: { ...clock(CLOCK_FR, "first_response"), stopped: { at: "2026-03-02T01:20:00Z", outcome: "met" } },
        status: { status: "stopped", outcome: "met" },
        warn_at: null,
        resumes_at: null,
        pause_note_required: ["other"],
      },
      { clock: clock(CLOCK_PU, "progress_update"), status: { status: "ok", due_at: FAR }, warn_at: null, resumes_at: null, pause_note_required: ["other"] },
      {
        clock: {
          ...clock(CLOCK_RES, "resolution"),
          due_at: null,
          pauses: [{ start: "2026-03-02T01:40:00Z", end: null, reason: "waiting_on_customer", by: "agent.li" }],
        },
        status: { status: "paused", breached_at: null },
        warn_at: null,
        resumes_at: null,
        pause_note_required: ["other"],
      },
    ],
    complaint: {
      id: ID,
      number: "TS-2026-000123",
      customer: { name: "王芳", phone: "+8613800138000", customer_id: null },
      channel: "phone",
      subject: { kind: "order", reference: "SO-88" },
      category: "billing.fee",
      demand: "Refund the duplicate charge",
      description: "Charged twice for the same month.",
      kind: "demand_driven",
      demand_class: "immediate_fix",
      severity: 3,
      public_exposure: true,
      received_at: "2026-03-02T01:00:00Z",
      recorded_by: "agent.li",
      recorded_at: "2026-03-02T01:01:00Z",
      state,
      validity: { valid: true, reason: null, note: "", judged_by: "agent.li", judged_at: "2026-03-02T01:05:00Z" },
      department: "logistics",
      owner: "li",
      root_cause: {
        categories: ["system"],
        note: "billing run retried",
        set_by: "agent.li",
        set_at: "2026-03-02T01:30:00Z",
      },
      remedies: [
        {
          id: REMEDY,
          kind: "fee_waiver",
          amount: { amount_minor: 3000, currency: "CNY" },
          tier: null,
          note: "",
          revision: 1,
          round: 0,
          state: "approved",
          proposed_by: "agent.li",
          proposed_at: "2026-03-02T01:35:00Z",
          approved_by: "agent.li",
          auto_approved: true,
        },
      ],
      approvals: [],
      progress: [
        { id: UPDATE, at: "2026-03-02T01:20:00Z", by: "agent.li", text: "Called back, looking into it", customer_informed: true },
      ],
      callback: null,
      review: null,
      repeat: { ordinal: 2, linked: ["0195f0c2-0000-7000-8000-000000000000"], escalated: false },
      clocks: [],
      timeline: [
        { at: "2026-03-02T01:01:00Z", actor: "agent.li", event: { event: "recorded", repeat_ordinal: 2 } },
        { at: "2026-03-02T01:05:00Z", actor: "agent.li", event: { event: "judged", valid: true, reason: null, note: "" } },
        { at: "2026-03-02T01:05:00Z", actor: "agent.li", event: { event: "state_changed", from: "recorded", to: "validated" } },
        {
          at: "2026-03-02T01:10:00Z",
          actor: "sup.zhang",
          event: { event: "assigned", department: "logistics", owner: "li", previous_department: null, previous_owner: null },
        },
        { at: "2026-03-02T01:20:00Z", actor: "agent.li", event: { event: "progress_added", update: UPDATE, customer_informed: true } },
        {
          at: "2026-03-02T01:20:00Z",
          actor: "agent.li",
          event: { event: "clock_cycle_ended", clock: CLOCK_FR, kind: "first_response", cycle: 1, outcome: "met" },
        },
        {
          at: "2026-03-02T01:35:00Z",
          actor: "agent.li",
          event: { event: "remedy_proposed", remedy: REMEDY, kind: "fee_waiver", total_minor: 3000, routing: { route: "auto_approved" } },
        },
        {
          at: "2026-03-02T01:40:00Z",
          actor: "agent.li",
          event: { event: "clock_paused", clock: CLOCK_RES, reason: "waiting_on_customer" },
        },
      ],
      reopen_count: 0,
    },
  };
}

function withClocksInComplaint(v: ComplaintView): ComplaintView {
  return { ...v, complaint: { ...v.complaint, clocks: v.clocks.map((c) => c.clock) } };
}

const go = vi.fn();

function renderDetail(role: Role = "agent") {
  const settings = fakeSettings({ user: "agent.li", display_name: "Li", role });
  return renderScreen(<ComplaintDetail id={ID} />, { settings, route: { screen: "complaint", id: ID }, go });
}

beforeEach(() => {
  complaintMock.mockReset();
  executeMock.mockReset();
  go.mockReset();
});

describe("ComplaintDetail", () => {
  it("marks a complaint with unconfirmed changes as syncing, in Chinese too, and not once confirmed", async () => {
    complaintMock.mockResolvedValue(withClocksInComplaint(fixture()));
    const settings = fakeSettings({ user: "agent.li", display_name: "Li", role: "agent" });
    renderScreen(<ComplaintDetail id={ID} />, { settings, route: { screen: "complaint", id: ID }, go, lang: "zh-CN" });
    expect((await screen.findByTestId("detail-pending")).textContent).toBe("同步中…");
    cleanup();
    complaintMock.mockResolvedValue({ ...withClocksInComplaint(fixture()), pending: false });
    renderDetail();
    await screen.findByTestId("detail-number");
    expect(screen.queryByTestId("detail-pending")).toBeNull();
  });

  it("names the department, category and owner from the site's catalog in the chosen language", async () => {
    const entry = (code: string, zh_cn: string, en: string) => ({ code, names: { zh_cn, en }, enabled: true, categories: [] });
    const catalogs = {
      people: [{ user: "li", name: "李娜" }],
      departments: [entry("logistics", "物流部", "Logistics")],
      categories: [{ ...entry("billing", "计费", "Billing"), categories: [entry("billing.fee", "收费争议", "Fee dispute")] }],
    };
    complaintMock.mockResolvedValue(fixture());
    for (const [lang, dept, category, assigned] of [
      ["en", "Logistics", "Billing / Fee dispute", "Assigned to Logistics / 李娜"],
      ["zh-CN", "物流部", "计费 / 收费争议", "物流部 / 李娜"],
    ] as const) {
      const settings = fakeSettings({ user: "agent.li", display_name: "Li", language: lang });
      const view = renderScreen(<ComplaintDetail id={ID} />, { settings, catalogs, route: { screen: "complaint", id: ID }, go });
      expect((await screen.findByTestId("detail-department")).textContent).toBe(dept);
      expect(screen.getByTestId("detail-category").textContent).toBe(category);
      expect(screen.getAllByTestId("timeline-entry")[3]!.textContent).toContain(assigned);
      expect(screen.getByTestId("detail-owner").textContent).toBe("李娜");
      expect(screen.getByTestId("complaint-detail").textContent).not.toContain("logistics");
      view.unmount();
    }
  });

  it("shows the facts, every clock and the timeline as sentences", async () => {
    complaintMock.mockResolvedValue(withClocksInComplaint(fixture()));
    renderDetail();
    expect((await screen.findByTestId("detail-number")).textContent).toBe("TS-2026-000123");
    expect(complaintMock).toHaveBeenCalledWith(ID);
    const state = screen.getByTestId("detail-state");
    expect(state.getAttribute("data-state")).toBe("analysed");
    expect(state.textContent).toBe("Analysed");
    expect(screen.getByTestId("detail-customer").textContent).toContain("王芳");
    expect(screen.getByTestId("detail-customer").textContent).toContain("138 0013 8000");
    expect(screen.getByTestId("detail-pending").textContent).toBe("Syncing…");
    expect(screen.getByTestId("flag-public")).toBeTruthy();
    expect(screen.getByTestId("flag-repeat").textContent).toBe("Repeat #2");

    // Clocks: one row per clock with its status.
    const rows = within(screen.getByTestId("clocks")).getAllByRole("row").slice(1);
    expect(rows).toHaveLength(3);
    expect(rows[0]!.textContent).toContain("First response");
    expect(rows[0]!.textContent).toContain("Met");
    expect(rows[1]!.textContent).toContain("On track");
    expect(within(rows[1]!).getByTestId("countdown")).toBeTruthy();
    expect(rows[2]!.textContent).toContain("Paused");
    expect(rows[2]!.textContent).toContain("Waiting on customer");
    // A running clock can be paused, a paused one resumed, a stopped one neither.
    expect(screen.queryByTestId("action-pause-0")).toBeNull();
    expect(screen.getByTestId("action-pause-1")).toBeTruthy();
    expect(screen.getByTestId("action-resume-2")).toBeTruthy();

    const entries = screen.getAllByTestId("timeline-entry");
    expect(entries).toHaveLength(8);
    const text = entries.map((e) => e.textContent ?? "");
    expect(text[0]).toContain("Complaint recorded as repeat #2");
    expect(text[1]).toContain("Judged valid");
    expect(text[2]).toContain("State: Recorded → Validated");
    expect(text[3]).toContain("Assigned to logistics / li");
    expect(text[3]).toContain("sup.zhang");
    expect(text[4]).toContain("Progress update, customer told");
    expect(text[4]).toContain("Called back, looking into it");
    expect(text[5]).toContain("“First response” clock, cycle 1: Met");
    expect(text[6]).toContain("Remedy #1 proposed: Fee waiver");
    expect(text[6]).toContain("approved within the proposer's own authority");
    expect(text[7]).toContain("“Resolution” clock paused: Waiting on customer");
  });

  it("offers the steps the rulebook offers, the main one first in weight, and nothing else", async () => {
    complaintMock.mockResolvedValue(fixture());
    renderDetail();
    await screen.findByTestId("detail-number");
    // Analysed: reassign, update root cause, propose remedy, progress; no judge, no resolve.
    expect(screen.getByTestId("action-propose-remedy").className).toBe("primary");
    expect(screen.getByTestId("action-progress").className).toBe("");
    expect(screen.getByTestId("action-assign").textContent).toBe("Reassign");
    expect(screen.getByTestId("action-root-cause")).toBeTruthy();
    expect(screen.getByTestId("action-progress")).toBeTruthy();
    expect(screen.queryByTestId("action-judge")).toBeNull();
    expect(screen.queryByTestId("action-resolve")).toBeNull();
    expect(screen.queryByTestId("action-close")).toBeNull();
  });

  it("shows a step refused for the role as text naming the role, in both languages", async () => {
    const followedUp = [may("assign"), may("set_root_cause"), needs("review", "supervisor"), may("reopen"), may("add_progress")];
    complaintMock.mockResolvedValue(fixture("followed_up", followedUp));
    const { unmount } = renderDetail("agent");
    await screen.findByTestId("detail-number");
    expect(screen.queryByTestId("action-review")).toBeNull();
    expect(screen.getByTestId("needs-role-review").textContent).toBe("Review: needs the Supervisor role or higher.");
    unmount();
    const settings = fakeSettings({ user: "agent.li", display_name: "Li", role: "agent" });
    const zh = renderScreen(<ComplaintDetail id={ID} />, { settings, route: { screen: "complaint", id: ID }, go, lang: "zh-CN" });
    expect((await screen.findByTestId("needs-role-review")).textContent).toContain("需主管或以上角色");
    zh.unmount();
    // Any other refusal is said in the error's own words.
    const limit: StepOffer = { ...needs("add_progress", "agent"), needs_role: null, refusal: "complaint_limit_reached" };
    complaintMock.mockResolvedValue(fixture("followed_up", [limit]));
    renderDetail("supervisor");
    expect((await screen.findByTestId("needs-role-add_progress")).textContent).toMatch(/^Add progress update: /);
    expect(screen.getByText("Nothing can be done in this state.")).toBeTruthy();
  });

  it("shows a step the rulebook allows to a supervisor", async () => {
    complaintMock.mockResolvedValue(fixture("followed_up", [may("review", undefined, true)]));
    renderDetail("supervisor");
    expect((await screen.findByTestId("action-review")).className).toBe("primary");
    expect(screen.queryByTestId("needs-role-review")).toBeNull();
  });

  it("proposes a remedy with the right command and reloads", async () => {
    complaintMock.mockResolvedValue(fixture());
    executeMock.mockResolvedValue(null);
    renderDetail();
    fireEvent.click(await screen.findByTestId("action-propose-remedy"));
    const dialog = screen.getByRole("dialog");
    const confirm = within(dialog).getByTestId("dialog-confirm") as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    expect(within(dialog).getByTestId("dialog-missing").textContent).toContain("Remedy type");

    fireEvent.change(within(dialog).getByTestId("f-kind"), { target: { value: "refund" } });
    fireEvent.change(within(dialog).getByTestId("f-amount"), { target: { value: "200.5" } });
    fireEvent.change(within(dialog).getByTestId("f-note"), { target: { value: "charged twice" } });
    expect(confirm.disabled).toBe(false);
    expect(within(dialog).getByTestId("f-total").textContent).toContain("200.50");
    fireEvent.click(confirm);

    await waitFor(() => expect(executeMock).toHaveBeenCalledTimes(1));
    const [id, command] = executeMock.mock.calls[0]!;
    expect(id).toBe(ID);
    expect(command).toEqual({
      name: "propose_remedy",
      args: {
        remedy_id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
        kind: "refund",
        amount: { amount_minor: 20050, currency: "CNY" },
        tier: null,
        note: "charged twice",
      },
    });
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(complaintMock).toHaveBeenCalledTimes(2);
  });

  it("sends a tier with its extra, type and condition", async () => {
    complaintMock.mockResolvedValue(fixture());
    executeMock.mockResolvedValue(null);
    renderDetail();
    fireEvent.click(await screen.findByTestId("action-propose-remedy"));
    const dialog = screen.getByRole("dialog");
    fireEvent.change(within(dialog).getByTestId("f-kind"), { target: { value: "fee_waiver" } });
    fireEvent.change(within(dialog).getByTestId("f-amount"), { target: { value: "50" } });
    fireEvent.click(within(dialog).getByTestId("f-tier"));
    const confirm = within(dialog).getByTestId("dialog-confirm") as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    fireEvent.change(within(dialog).getByTestId("f-tier-extra"), { target: { value: "100" } });
    fireEvent.change(within(dialog).getByTestId("f-tier-kind"), { target: { value: "voucher" } });
    fireEvent.change(within(dialog).getByTestId("f-tier-condition"), { target: { value: "stays 12 months" } });
    fireEvent.click(confirm);
    await waitFor(() => expect(executeMock).toHaveBeenCalledTimes(1));
    expect(executeMock.mock.calls[0]![1]).toMatchObject({
      name: "propose_remedy",
      args: {
        kind: "fee_waiver",
        amount: { amount_minor: 5000, currency: "CNY" },
        tier: { extra_minor: 10000, extra_kind: "voucher", condition: "stays 12 months" },
      },
    });
  });

  it("keeps the dialog and what was typed when the command is refused", async () => {
    complaintMock.mockResolvedValue(fixture());
    executeMock.mockRejectedValue({
      code: "authority_limit_exceeded",
      message: "over every limit",
      transient: false,
      fields: [],
    });
    renderDetail();
    fireEvent.click(await screen.findByTestId("action-propose-remedy"));
    const dialog = screen.getByRole("dialog");
    fireEvent.change(within(dialog).getByTestId("f-kind"), { target: { value: "compensation_payment" } });
    fireEvent.change(within(dialog).getByTestId("f-amount"), { target: { value: "90000" } });
    fireEvent.click(within(dialog).getByTestId("dialog-confirm"));

    const banner = await within(dialog).findByTestId("error");
    expect(banner.textContent).toContain("The amount is beyond your approval authority.");
    expect(banner.getAttribute("data-code")).toBe("authority_limit_exceeded");
    expect(screen.getByRole("dialog")).toBe(dialog);
    expect((within(dialog).getByTestId("f-amount") as HTMLInputElement).value).toBe("90000");
    expect((within(dialog).getByTestId("f-kind") as HTMLSelectElement).value).toBe("compensation_payment");
    expect((within(dialog).getByTestId("dialog-confirm") as HTMLButtonElement).disabled).toBe(false);
    expect(complaintMock).toHaveBeenCalledTimes(1);
  });

  it("adds an informed progress update by default", async () => {
    complaintMock.mockResolvedValue(fixture());
    executeMock.mockResolvedValue(null);
    renderDetail();
    fireEvent.click(await screen.findByTestId("action-progress"));
    const dialog = screen.getByRole("dialog");
    expect((within(dialog).getByTestId("f-informed") as HTMLInputElement).checked).toBe(true);
    fireEvent.change(within(dialog).getByTestId("f-text"), { target: { value: "  Refund requested  " } });
    fireEvent.click(within(dialog).getByTestId("dialog-confirm"));
    await waitFor(() => expect(executeMock).toHaveBeenCalledTimes(1));
    expect(executeMock.mock.calls[0]![1]).toEqual({
      name: "add_progress",
      args: { update_id: expect.any(String), text: "Refund requested", customer_informed: true },
    });
  });

  it("pauses a clock with a reason and resumes a paused one", async () => {
    complaintMock.mockResolvedValue(fixture());
    executeMock.mockResolvedValue(null);
    renderDetail();
    fireEvent.click(await screen.findByTestId("action-pause-1"));
    const dialog = screen.getByRole("dialog");
    expect((within(dialog).getByTestId("dialog-confirm") as HTMLButtonElement).disabled).toBe(true);
    const confirm = within(dialog).getByTestId("dialog-confirm") as HTMLButtonElement;
    // "Other" needs a note (Rust says so in pause_note_required); the others do not.
    fireEvent.change(within(dialog).getByTestId("f-reason"), { target: { value: "other" } });
    expect(confirm.disabled).toBe(true);
    fireEvent.change(within(dialog).getByTestId("f-reason"), { target: { value: "waiting_on_third_party" } });
    expect(confirm.disabled).toBe(false);
    fireEvent.change(within(dialog).getByTestId("f-note"), { target: { value: " courier lost the parcel " } });
    fireEvent.click(confirm);
    await waitFor(() =>
      expect(executeMock).toHaveBeenCalledWith(ID, {
        name: "pause_clock",
        args: { clock_id: CLOCK_PU, reason: "waiting_on_third_party", note: "courier lost the parcel" },
      }),
    );
    await act(async () => {
      fireEvent.click(screen.getByTestId("action-resume-2"));
    });
    expect(executeMock).toHaveBeenLastCalledWith(ID, { name: "resume_clock", args: { clock_id: CLOCK_RES } });
  });

  it("shows a breach that was paused as breached, and a clock outside working hours as waiting", async () => {
    const view = fixture();
    const res = view.clocks[2]!;
    res.status = { status: "paused", breached_at: "2026-03-01T20:00:00Z" };
    res.clock.pauses = [
      { start: "2026-03-02T01:40:00Z", end: null, reason: "waiting_on_customer", note: "abroad until Monday", by: "agent.li" },
    ];
    view.clocks[1]!.resumes_at = "2099-03-02T01:00:00Z";
    complaintMock.mockResolvedValue(view);
    renderDetail();
    const paused = await screen.findByTestId("clock-paused");
    expect(paused.textContent).toBe("Breached, paused");
    const row = screen.getByTestId("clock-2");
    expect(row.textContent).toContain("agent.li");
    expect(row.textContent).toContain("abroad until Monday");
    expect(row.querySelector("[data-testid=countdown]")?.getAttribute("data-status")).toBe("breached");
    expect(screen.getByTestId("clock-outside-hours").textContent).toMatch(/^Outside working hours, resumes /);
  });

  it("carries out an approved remedy", async () => {
    complaintMock.mockResolvedValue(fixture("remedy_agreed", [may("mark_implemented", { remedy: REMEDY })]));
    executeMock.mockResolvedValue(null);
    renderDetail();
    const row = await screen.findByTestId("remedy-0");
    expect(within(row).queryByTestId("action-revise-0")).toBeNull();
    fireEvent.click(within(row).getByTestId("action-implement"));
    fireEvent.click(within(screen.getByRole("dialog")).getByTestId("dialog-confirm"));
    await waitFor(() =>
      expect(executeMock).toHaveBeenCalledWith(ID, { name: "mark_implemented", args: { remedy_id: REMEDY, note: "" } }),
    );
  });

  it("records a callback: scores from the outcome's range, a reason when not satisfied", async () => {
    complaintMock.mockResolvedValue(fixture("resolved", [may("record_callback", undefined, true)]));
    executeMock.mockResolvedValue(null);
    renderDetail();
    fireEvent.click(await screen.findByTestId("action-callback"));
    const dialog = screen.getByRole("dialog");
    const confirm = within(dialog).getByTestId("dialog-confirm") as HTMLButtonElement;
    const options = () =>
      [...(within(dialog).getByTestId("f-score") as HTMLSelectElement).options].map((o) => o.value);

    fireEvent.change(within(dialog).getByTestId("f-outcome"), { target: { value: "satisfied" } });
    expect(options()).toEqual(["", "5", "4", "3"]);
    fireEvent.change(within(dialog).getByTestId("f-score"), { target: { value: "4" } });
    expect(confirm.disabled).toBe(false);

    // Switching to "not satisfied" drops the 4: it is not on that scale.
    fireEvent.change(within(dialog).getByTestId("f-outcome"), { target: { value: "not_satisfied" } });
    expect(options()).toEqual(["", "2", "1"]);
    expect(confirm.disabled).toBe(true);
    expect(within(dialog).getByTestId("dialog-missing").textContent).toContain("Satisfaction score");
    expect(within(dialog).getByTestId("dialog-missing").textContent).toContain("Why the customer is not satisfied");
    fireEvent.change(within(dialog).getByTestId("f-score"), { target: { value: "2" } });
    expect(confirm.disabled).toBe(true);
    fireEvent.change(within(dialog).getByTestId("f-note"), { target: { value: "still drops at night" } });
    expect(confirm.disabled).toBe(false);
    fireEvent.click(confirm);
    await waitFor(() => expect(executeMock).toHaveBeenCalledTimes(1));
    expect(executeMock.mock.calls[0]![1]).toEqual({
      name: "record_callback",
      args: {
        attempt_id: expect.any(String),
        note: "still drops at night",
        outcome: "not_satisfied",
        score: 2,
      },
    });
  });

  it("opens a linked repeat complaint and goes back to the dashboard", async () => {
    complaintMock.mockResolvedValue(fixture());
    renderDetail();
    fireEvent.click(await screen.findByTestId("linked-0195f0c2-0000-7000-8000-000000000000"));
    expect(go).toHaveBeenCalledWith({ screen: "complaint", id: "0195f0c2-0000-7000-8000-000000000000" });
    fireEvent.click(screen.getByTestId("detail-back"));
    expect(go).toHaveBeenLastCalledWith({ screen: "dashboard" });
  });

  it("goes back on Esc, but Esc in an open dialog only closes the dialog", async () => {
    complaintMock.mockResolvedValue(fixture());
    renderDetail();
    fireEvent.click(await screen.findByTestId("action-progress"));
    fireEvent.keyDown(screen.getByRole("dialog"), { key: "Escape" });
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(go).not.toHaveBeenCalledWith({ screen: "dashboard" });
    fireEvent.keyDown(document.body, { key: "Escape" });
    expect(go).toHaveBeenLastCalledWith({ screen: "dashboard" });
  });

  it("says so when the complaint does not exist", async () => {
    complaintMock.mockRejectedValue({ code: "not_found", message: "complaint", transient: false });
    renderDetail();
    expect((await screen.findByTestId("detail-not-found")).textContent).toContain("This complaint was not found.");
  });
});
