// The follow-up call (回访) command, built the same way wherever an agent
// records how a call went.
import type { CallbackOutcome } from "../bindings/CallbackOutcome";
import type { CallbackScale } from "../bindings/CallbackScale";
import type { Command } from "../bindings/Command";
import { hasKey, type T } from "../i18n";

/** What came of one call; "satisfied" and "not satisfied" carry a score. */
export type CallbackResult = CallbackOutcome["outcome"];

/** The scores an outcome offers (the Rust side's scale), best first. */
export function scoresFor(scale: CallbackScale, outcome: CallbackResult | ""): number[] {
  if (outcome === "satisfied") return scale.satisfied;
  if (outcome === "not_satisfied") return scale.not_satisfied;
  return [];
}

/** "4 – Satisfied"; a score without a text shows as its number. */
export function scoreLabel(t: T, score: number | string): string {
  const key = `callbacks.score.${score}`;
  return hasKey(key) ? t(key) : String(score);
}

/**
 * The record_callback command, or null while something it needs is missing:
 * a score for "satisfied" and "not satisfied", and for "not satisfied" the
 * customer's reason in the note.
 */
export function callbackCommand(
  attemptId: string,
  outcome: CallbackResult,
  note: string,
  score: number | null,
): Command | null {
  let result: CallbackOutcome;
  if (outcome === "unreachable") {
    result = { outcome };
  } else {
    if (score === null) return null;
    if (outcome === "not_satisfied" && note.trim() === "") return null;
    result = outcome === "satisfied" ? { outcome, score } : { outcome, score };
  }
  return { name: "record_callback", args: { attempt_id: attemptId, note, ...result } };
}
