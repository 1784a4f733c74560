import { describe, expect, it } from "vitest";
import type { StepOffer } from "../bindings/StepOffer";
import { complaintSteps, mayTake, offerOf } from "./steps";

const offers: StepOffer[] = [
  { step: "resolve", target: { kind: "complaint" }, allowed: true, main: true },
  { step: "review", target: { kind: "complaint" }, allowed: false, main: false, refusal: "forbidden_role", needs_role: "supervisor" },
  { step: "revise_remedy", target: { kind: "remedy", id: "r1" }, allowed: true, main: false },
  { step: "pause_clock", target: { kind: "clock", id: "c1" }, allowed: false, main: false, refusal: "forbidden_role" },
];

describe("steps", () => {
  it("finds a complaint-level offer apart from per-target ones", () => {
    expect(offerOf(offers, "resolve")?.main).toBe(true);
    expect(offerOf(offers, "revise_remedy")).toBeUndefined();
    expect(offerOf(offers, "revise_remedy", "r1")?.allowed).toBe(true);
    expect(offerOf(offers, "revise_remedy", "r2")).toBeUndefined();
  });

  it("says a step may be taken only when the rulebook allows it", () => {
    expect(mayTake(offers, "resolve")).toBe(true);
    expect(mayTake(offers, "review")).toBe(false);
    expect(mayTake(offers, "pause_clock", "c1")).toBe(false);
    expect(mayTake(offers, "close")).toBe(false);
  });

  it("lists the complaint-level offers in their order", () => {
    expect(complaintSteps(offers).map((o) => o.step)).toEqual(["resolve", "review"]);
  });
});
