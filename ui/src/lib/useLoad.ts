import { useCallback, useEffect, useRef, useState } from "react";
import type { AppError } from "../bindings/AppError";
import type { Changed } from "../bindings/Changed";
import { toAppError } from "./api";
import { subscribeChanged } from "./changes";

export interface Loaded<T> {
  data: T | undefined;
  error: AppError | undefined;
  /** True only for the first load; later refreshes keep showing the data. */
  loading: boolean;
  reload: () => void;
}

/**
 * Loads data, and loads it again when a "changed" event concerns it. Late
 * answers from an older request never overwrite a newer one.
 */
export function useLoad<T>(
  fetch: () => Promise<T>,
  deps: readonly unknown[],
  relevant: (c: Changed) => boolean,
): Loaded<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<AppError>();
  const [loading, setLoading] = useState(true);
  const seq = useRef(0);
  const fetchRef = useRef(fetch);
  fetchRef.current = fetch;
  const relevantRef = useRef(relevant);
  relevantRef.current = relevant;

  const reload = useCallback(() => {
    const mine = ++seq.current;
    fetchRef
      .current()
      .then((d) => {
        if (mine !== seq.current) return;
        setData(d);
        setError(undefined);
      })
      .catch((e: unknown) => {
        if (mine !== seq.current) return;
        setError(toAppError(e));
      })
      .finally(() => {
        if (mine === seq.current) setLoading(false);
      });
  }, []);

  // eslint-disable-next-line react-hooks/exhaustive-deps
  useEffect(reload, deps);
  useEffect(
    () =>
      subscribeChanged((c) => {
        if (relevantRef.current(c)) reload();
      }),
    [reload],
  );
  return { data, error, loading, reload };
}
