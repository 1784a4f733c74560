// Small wording helpers shared by the complaint screen's parts.
import type { CallbackOutcome } from "../../bindings/CallbackOutcome";
import type { Complaint } from "../../bindings/Complaint";
import type { Remedy } from "../../bindings/Remedy";
import type { T } from "../../i18n";

export const CURRENCY = "CNY";

/** Remedies are numbered #1, #2, ... in the order they were proposed. */
export function remedyNo(complaint: Complaint, remedyId: string): string {
  const i = complaint.remedies.findIndex((r) => r.id === remedyId);
  return i < 0 ? "?" : String(i + 1);
}

/** The remedy an approval request is about, as its number. */
export function approvalRemedyNo(complaint: Complaint, approvalId: string): string {
  const a = complaint.approvals.find((x) => x.id === approvalId);
  return a ? remedyNo(complaint, a.remedy_id) : "?";
}

/** A clock's name; approval clocks say which remedy they time. */
export function clockName(t: T, complaint: Complaint, clockId: string): string {
  const clock = complaint.clocks.find((c) => c.id === clockId);
  if (!clock) return t("complaint.ev.unknown_clock");
  const name = t(`clock.${clock.kind}`);
  if (clock.kind === "approval" && clock.approval) {
    return `${name} (${t("complaint.clock.for_remedy", { n: approvalRemedyNo(complaint, clock.approval) })})`;
  }
  return name;
}

/** "Logistics / Li Na", or just the department without an owner, named by `names`. */
export function assignee(
  department: string | null | undefined,
  owner: string | null | undefined,
  names: { department: (code: string) => string; person: (user: string) => string } = {
    department: (d) => d,
    person: (u) => u,
  },
): string {
  return [department ? names.department(department) : null, owner ? names.person(owner) : null]
    .filter((x) => !!x)
    .join(" / ");
}

export function callbackOutcomeLabel(t: T, o: CallbackOutcome): string {
  const label = t(`callback_outcome.${o.outcome}`);
  const score = o.outcome === "unreachable" ? null : (o.score ?? null);
  return score === null ? label : t("complaint.callback.score", { outcome: label, score });
}

/** Base plus tier extra, in minor units. */
export function remedyTotal(r: Pick<Remedy, "amount" | "tier">): number {
  return r.amount.amount_minor + (r.tier?.extra_minor ?? 0);
}
