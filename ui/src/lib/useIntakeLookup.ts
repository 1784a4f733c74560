// The intake form's live check: a moment after the agent stops typing the
// phone or customer id, the Rust side says whether the phone is a valid
// number (libphonenumber's rules, not ours) and lists the customer's open and
// recent complaints. Answers to an older query never replace a newer one.
import { useEffect, useRef, useState } from "react";
import type { IntakeLookup } from "../bindings/IntakeLookup";
import { api } from "./api";

/** How long typing must pause before the lookup runs, in milliseconds. */
export const LOOKUP_DELAY_MS = 300;

export interface IntakeState {
  /** The phone the answer is for (trimmed). */
  phone: string;
  result: IntakeLookup;
}

export function useIntakeLookup(phone: string, customerId: string): IntakeState | undefined {
  const [state, setState] = useState<IntakeState>();
  const seq = useRef(0);
  useEffect(() => {
    const p = phone.trim();
    const id = customerId.trim();
    const mine = ++seq.current;
    if (p === "" && id === "") {
      setState(undefined);
      return;
    }
    const timer = setTimeout(() => {
      api.intakeLookup({ phone: p, customer_id: id === "" ? null : id }).then(
        (result) => {
          if (mine === seq.current) setState({ phone: p, result });
        },
        // A failed lookup only costs the hint; recording still checks.
        () => {
          if (mine === seq.current) setState(undefined);
        },
      );
    }, LOOKUP_DELAY_MS);
    return () => clearTimeout(timer);
  }, [phone, customerId]);
  return state;
}
