// The follow-up call (回访) command, built the same way wherever an agent
// records how a call went.
import type { CallbackOutcome } from "../bindings/CallbackOutcome";
import type { Command } from "../bindings/Command";

/** What came of one call; only "satisfied" carries a score. */
export type CallbackResult = CallbackOutcome["outcome"];

/** The record_callback command; `score` is sent only with "satisfied". */
export function callbackCommand(attemptId: string, outcome: CallbackResult, note: string, score: number): Command {
  const result: CallbackOutcome = outcome === "satisfied" ? { outcome, score } : { outcome };
  return { name: "record_callback", args: { attempt_id: attemptId, note, ...result } };
}
