// One subscription to the Rust side's batched "changed" event, fanned out to
// every screen that shows data; screens refetch only what concerns them.
import type { Changed } from "../bindings/Changed";

type Listener = (c: Changed) => void;
const listeners = new Set<Listener>();

export function publishChanged(c: Changed): void {
  listeners.forEach((l) => l(c));
}

export function subscribeChanged(l: Listener): () => void {
  listeners.add(l);
  return () => {
    listeners.delete(l);
  };
}

/** Complaint data changed (any complaint). */
export const complaintsChanged = (c: Changed) => c.all || c.complaints.length > 0;

/** This complaint changed. */
export const complaintChanged = (id: string) => (c: Changed) => c.all || c.complaints.includes(id);

export const remindersChanged = (c: Changed) => c.all || c.reminders;

/** The user or role changed: what I may do changes. */
export const settingsChanged = (c: Changed) => c.all || c.settings;
