// The steps the rulebook offers on a complaint (`ComplaintView.steps`, from
// `Complaint::offers` in Rust): the complaint screen shows these and decides
// nothing itself about which step a state or a role allows.
import type { Step } from "../bindings/Step";
import type { StepOffer } from "../bindings/StepOffer";

/** The offer of `step` on the complaint, or on the remedy, approval or clock `id`. */
export function offerOf(steps: readonly StepOffer[], step: Step, id?: string): StepOffer | undefined {
  return steps.find(
    (o) => o.step === step && (id === undefined ? o.target.kind === "complaint" : "id" in o.target && o.target.id === id),
  );
}

/** Whether the current user may take `step` (on `id`) now. */
export function mayTake(steps: readonly StepOffer[], step: Step, id?: string): boolean {
  return offerOf(steps, step, id)?.allowed === true;
}

/** Steps on the complaint as a whole; the others act on one remedy, approval or clock. */
export type ComplaintStep = Exclude<
  Step,
  "revise_remedy" | "mark_implemented" | "decide_approval" | "pause_clock" | "resume_clock"
>;

/** The complaint-level offers, in the rulebook's display order. */
export function complaintSteps(steps: readonly StepOffer[]): (StepOffer & { step: ComplaintStep })[] {
  // The rulebook offers only complaint-level steps on the complaint target.
  return steps.filter((o) => o.target.kind === "complaint") as (StepOffer & { step: ComplaintStep })[];
}
