import type { ComplaintState } from "../bindings/ComplaintState";
import type { Role } from "../bindings/Role";
import {
  actionsNeedingHigherRole,
  availableActions,
  canImplementRemedy,
  canPauseClock,
  canResumeClock,
  canReviseRemedy,
  mainStep,
  roleAtLeast,
} from "./complaintActions";

const ALL_STATES: ComplaintState[] = [
  "recorded",
  "validated",
  "invalid",
  "assigned",
  "analysed",
  "awaiting_approval",
  "remedy_agreed",
  "implemented",
  "resolved",
  "followed_up",
  "reviewed",
  "closed",
];
const ROLES: Role[] = ["agent", "supervisor", "manager", "admin"];

const acts = (state: ComplaintState, role: Role = "agent") => availableActions({ state }, role);

describe("availableActions follows docs/lifecycle.md", () => {
  it("offers judging only on a recorded complaint", () => {
    expect(acts("recorded")).toEqual(["judge", "add_progress"]);
    for (const s of ALL_STATES.filter((s) => s !== "recorded")) expect(acts(s)).not.toContain("judge");
  });

  it("assigns from validated and reassigns while in handling, never when invalid or closed", () => {
    expect(acts("validated")).toEqual(["assign", "add_progress"]);
    for (const s of ["assigned", "analysed", "awaiting_approval", "remedy_agreed", "implemented", "resolved", "followed_up", "reviewed"] as const) {
      expect(acts(s)).toContain("assign");
      expect(acts(s)).toContain("set_root_cause");
    }
    for (const s of ["recorded", "invalid", "closed"] as const) expect(acts(s, "admin")).not.toContain("assign");
    expect(acts("validated")).not.toContain("set_root_cause");
  });

  it("takes remedies only while they are being agreed", () => {
    const accepting = ALL_STATES.filter((s) => acts(s, "admin").includes("propose_remedy"));
    expect(accepting).toEqual(["analysed", "awaiting_approval", "remedy_agreed"]);
  });

  it("resolves only when implemented and records callbacks only when resolved", () => {
    expect(ALL_STATES.filter((s) => acts(s).includes("resolve"))).toEqual(["implemented"]);
    expect(ALL_STATES.filter((s) => acts(s).includes("record_callback"))).toEqual(["resolved"]);
  });

  it("keeps review and close for supervisors and higher", () => {
    expect(acts("followed_up", "agent")).not.toContain("review");
    expect(acts("reviewed", "agent")).not.toContain("close");
    expect(acts("invalid", "agent")).toEqual(["add_progress"]);
    for (const role of ["supervisor", "manager", "admin"] as const) {
      expect(acts("followed_up", role)).toContain("review");
      expect(acts("reviewed", role)).toContain("close");
      expect(acts("invalid", role)).toEqual(["close", "add_progress"]);
    }
    expect(ALL_STATES.filter((s) => acts(s, "admin").includes("review"))).toEqual(["followed_up"]);
    expect(ALL_STATES.filter((s) => acts(s, "admin").includes("close"))).toEqual(["invalid", "reviewed"]);
  });

  it("reopens resolved, followed-up and reviewed complaints for anyone, closed ones for supervisors up", () => {
    for (const s of ["resolved", "followed_up", "reviewed"] as const) expect(acts(s, "agent")).toContain("reopen");
    expect(acts("closed", "agent")).toEqual([]);
    for (const role of ["supervisor", "manager", "admin"] as const) expect(acts("closed", role)).toEqual(["reopen"]);
    for (const s of ["recorded", "validated", "invalid", "assigned", "analysed", "implemented"] as const) {
      expect(acts(s, "admin")).not.toContain("reopen");
    }
  });

  it("allows progress updates in every state but closed, for every role", () => {
    for (const role of ROLES) {
      for (const s of ALL_STATES) expect(acts(s, role).includes("add_progress")).toBe(s !== "closed");
    }
  });

  it("says which steps need a higher role", () => {
    expect(actionsNeedingHigherRole({ state: "followed_up" }, "agent")).toEqual(["review"]);
    expect(actionsNeedingHigherRole({ state: "closed" }, "agent")).toEqual(["reopen"]);
    expect(actionsNeedingHigherRole({ state: "closed" }, "supervisor")).toEqual([]);
    expect(actionsNeedingHigherRole({ state: "analysed" }, "agent")).toEqual([]);
  });

  it("names the forward step of each state", () => {
    expect(mainStep("recorded")).toBe("judge");
    expect(mainStep("analysed")).toBe("propose_remedy");
    expect(mainStep("awaiting_approval")).toBeUndefined();
    expect(mainStep("invalid")).toBe("close");
  });

  it("orders roles agent < supervisor < manager < admin", () => {
    expect(roleAtLeast("agent", "supervisor")).toBe(false);
    expect(roleAtLeast("manager", "supervisor")).toBe(true);
    expect(roleAtLeast("admin", "admin")).toBe(true);
  });
});

describe("per-remedy and per-clock steps", () => {
  it("revises pending or rejected remedies while remedies are being agreed", () => {
    expect(canReviseRemedy({ state: "awaiting_approval" }, { state: "pending_approval" })).toBe(true);
    expect(canReviseRemedy({ state: "analysed" }, { state: "rejected" })).toBe(true);
    expect(canReviseRemedy({ state: "remedy_agreed" }, { state: "approved" })).toBe(false);
    expect(canReviseRemedy({ state: "implemented" }, { state: "rejected" })).toBe(false);
  });

  it("carries out approved remedies, also while another one waits for approval", () => {
    expect(canImplementRemedy({ state: "remedy_agreed" }, { state: "approved" })).toBe(true);
    expect(canImplementRemedy({ state: "awaiting_approval" }, { state: "approved" })).toBe(true);
    expect(canImplementRemedy({ state: "awaiting_approval" }, { state: "pending_approval" })).toBe(false);
    expect(canImplementRemedy({ state: "implemented" }, { state: "implemented" })).toBe(false);
  });

  it("pauses running clocks and resumes paused ones, not on a closed complaint", () => {
    const due = "2026-01-01T00:00:00Z";
    expect(canPauseClock({ state: "assigned" }, { status: "ok", due_at: due })).toBe(true);
    expect(canPauseClock({ state: "assigned" }, { status: "breached", due_at: due })).toBe(true);
    expect(canPauseClock({ state: "assigned" }, { status: "paused", breached_at: null })).toBe(false);
    expect(canPauseClock({ state: "assigned" }, { status: "stopped", outcome: "met" })).toBe(false);
    expect(canPauseClock({ state: "closed" }, { status: "ok", due_at: due })).toBe(false);
    expect(canResumeClock({ state: "assigned" }, { status: "paused", breached_at: null })).toBe(true);
    expect(canResumeClock({ state: "assigned" }, { status: "warning", due_at: due })).toBe(false);
    expect(canResumeClock({ state: "closed" }, { status: "paused", breached_at: null })).toBe(false);
  });
});
