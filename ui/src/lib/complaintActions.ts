// Which closed-loop steps the complaint screen offers, following the
// transition table of docs/lifecycle.md. The Rust side has the final word (it
// refuses anything not allowed); this only keeps buttons for impossible steps
// off the screen.
import type { ClockStatus } from "../bindings/ClockStatus";
import type { ComplaintState } from "../bindings/ComplaintState";
import type { Remedy } from "../bindings/Remedy";
import type { Role } from "../bindings/Role";

/** Complaint-level steps (per-remedy and per-clock steps are separate). */
export type Step =
  | "judge"
  | "assign"
  | "set_root_cause"
  | "propose_remedy"
  | "resolve"
  | "record_callback"
  | "review"
  | "close"
  | "reopen"
  | "add_progress";

const ROLE_RANK: Record<Role, number> = { agent: 0, supervisor: 1, manager: 2, admin: 3 };

export function roleAtLeast(role: Role, min: Role): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[min];
}

/** Every open state after `validated`, except `invalid`. */
const IN_HANDLING: ReadonlySet<ComplaintState> = new Set<ComplaintState>([
  "assigned",
  "analysed",
  "awaiting_approval",
  "remedy_agreed",
  "implemented",
  "resolved",
  "followed_up",
  "reviewed",
]);

const ACCEPTS_REMEDIES: ReadonlySet<ComplaintState> = new Set<ComplaintState>([
  "analysed",
  "awaiting_approval",
  "remedy_agreed",
]);

const REOPENABLE: ReadonlySet<ComplaintState> = new Set<ComplaintState>([
  "resolved",
  "followed_up",
  "reviewed",
  "closed",
]);

/** Display order: the forward steps of the loop, then the side steps. */
const ORDER: readonly Step[] = [
  "judge",
  "assign",
  "set_root_cause",
  "propose_remedy",
  "resolve",
  "record_callback",
  "review",
  "close",
  "reopen",
  "add_progress",
];

/** The lowest role a step needs in this state (undefined: not allowed at all). */
function minimumRole(step: Step, state: ComplaintState): Role | undefined {
  switch (step) {
    case "judge":
      return state === "recorded" ? "agent" : undefined;
    case "assign":
      return state === "validated" || IN_HANDLING.has(state) ? "agent" : undefined;
    case "set_root_cause":
      return IN_HANDLING.has(state) ? "agent" : undefined;
    case "propose_remedy":
      return ACCEPTS_REMEDIES.has(state) ? "agent" : undefined;
    case "resolve":
      return state === "implemented" ? "agent" : undefined;
    case "record_callback":
      return state === "resolved" ? "agent" : undefined;
    case "review":
      return state === "followed_up" ? "supervisor" : undefined;
    case "close":
      return state === "reviewed" || state === "invalid" ? "supervisor" : undefined;
    case "reopen":
      if (!REOPENABLE.has(state)) return undefined;
      return state === "closed" ? "supervisor" : "agent";
    case "add_progress":
      return state === "closed" ? undefined : "agent";
  }
}

/** The steps `role` may take on a complaint in its current state. */
export function availableActions(complaint: { state: ComplaintState }, role: Role): Step[] {
  return ORDER.filter((step) => {
    const min = minimumRole(step, complaint.state);
    return min !== undefined && roleAtLeast(role, min);
  });
}

/** Steps the state allows but `role` may not take (to say who can). */
export function actionsNeedingHigherRole(complaint: { state: ComplaintState }, role: Role): Step[] {
  return ORDER.filter((step) => {
    const min = minimumRole(step, complaint.state);
    return min !== undefined && !roleAtLeast(role, min);
  });
}

/** The step that moves the loop forward in this state, if there is one. */
export function mainStep(state: ComplaintState): Step | undefined {
  switch (state) {
    case "recorded":
      return "judge";
    case "validated":
      return "assign";
    case "assigned":
      return "set_root_cause";
    case "analysed":
      return "propose_remedy";
    case "implemented":
      return "resolve";
    case "resolved":
      return "record_callback";
    case "followed_up":
      return "review";
    case "reviewed":
    case "invalid":
      return "close";
    case "closed":
      return "reopen";
    default:
      return undefined;
  }
}

/** A remedy pending approval or rejected can get a new amount. */
export function canReviseRemedy(
  complaint: { state: ComplaintState },
  remedy: Pick<Remedy, "state">,
): boolean {
  return (
    ACCEPTS_REMEDIES.has(complaint.state) &&
    (remedy.state === "pending_approval" || remedy.state === "rejected")
  );
}

/** An approved remedy can be carried out, even while another one waits. */
export function canImplementRemedy(
  complaint: { state: ComplaintState },
  remedy: Pick<Remedy, "state">,
): boolean {
  return (
    (complaint.state === "remedy_agreed" || complaint.state === "awaiting_approval") &&
    remedy.state === "approved"
  );
}

/** A running clock can be paused while the complaint is open. */
export function canPauseClock(complaint: { state: ComplaintState }, status: ClockStatus): boolean {
  return (
    complaint.state !== "closed" &&
    (status.status === "ok" || status.status === "warning" || status.status === "breached")
  );
}

/** A paused clock can be resumed while the complaint is open. */
export function canResumeClock(complaint: { state: ComplaintState }, status: ClockStatus): boolean {
  return complaint.state !== "closed" && status.status === "paused";
}
