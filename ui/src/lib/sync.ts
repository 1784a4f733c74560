// The sync status: loaded once from the Rust side, then replaced by every
// "sync-status" event (the sync loop) and refreshed on every "changed" event
// (a local change adds to the pending count).
import { useCallback, useEffect, useRef, useState } from "react";
import type { SyncOverview } from "../bindings/SyncOverview";
import type { SyncStatus } from "../bindings/SyncStatus";
import { api } from "./api";
import { subscribeChanged } from "./changes";

type Listener = (o: SyncOverview) => void;
const listeners = new Set<Listener>();

/** Hands a "sync-status" event (or a sign-in/out answer) to every screen. */
export function publishSyncStatus(o: SyncOverview): void {
  listeners.forEach((l) => l(o));
}

export function subscribeSyncStatus(l: Listener): () => void {
  listeners.add(l);
  return () => {
    listeners.delete(l);
  };
}

/** The current sync overview, kept up to date. */
export function useSyncOverview(): { overview: SyncOverview | undefined; reload: () => void } {
  const [overview, setOverview] = useState<SyncOverview>();
  const seq = useRef(0);
  const reload = useCallback(() => {
    const mine = ++seq.current;
    Promise.resolve()
      .then(() => api.syncOverview())
      .then((o) => {
        if (mine === seq.current && o) setOverview(o);
      })
      // The indicator keeps its last state; nothing to show for a failure.
      .catch(() => {});
  }, []);
  useEffect(() => {
    reload();
    const offStatus = subscribeSyncStatus((o) => {
      seq.current++;
      setOverview(o);
    });
    const offChanged = subscribeChanged(() => reload());
    return () => {
      offStatus();
      offChanged();
    };
  }, [reload]);
  return { overview, reload };
}

/** Whether the status calls for signing in. */
export function needsSignIn(s: SyncStatus): boolean {
  return s.state === "standalone" || s.state === "signed_out" || s.state === "needs_sign_in";
}
