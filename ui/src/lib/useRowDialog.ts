// The dialog a queue screen (approvals, callbacks) opens from one of its rows.
// One is open at a time; confirming runs one command for the row's complaint.
// Success closes it and leaves a notice; a refusal keeps it open with what was
// typed and shows why.
import { useCallback, useRef, useState } from "react";
import type { AppError } from "../bindings/AppError";
import type { Command } from "../bindings/Command";
import { api, toAppError } from "./api";

export interface RowDialog<T> {
  /** What the open dialog is about; null while none is open. */
  open: T | null;
  busy: boolean;
  failure: AppError | undefined;
  /** What the last success said, until another dialog opens. */
  notice: string | undefined;
  start: (what: T) => void;
  /** Closes the dialog unless its command is running. Keeps its identity, so
   * the dialog does not re-run its focus effect on every keystroke. */
  cancel: () => void;
  /** Runs `command`; on success closes the dialog and shows `notice`. */
  submit: (complaintId: string, command: Command, notice: string) => Promise<void>;
}

export function useRowDialog<T>(
  reload: () => void,
  { reloadOnFailure = false }: { reloadOnFailure?: boolean } = {},
): RowDialog<T> {
  const [open, setOpen] = useState<T | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<AppError>();
  const [notice, setNotice] = useState<string>();

  const start = (what: T) => {
    setOpen(what);
    setFailure(undefined);
    setNotice(undefined);
  };

  const busyRef = useRef(false);
  busyRef.current = busy;
  const cancel = useCallback(() => {
    if (busyRef.current) return;
    setOpen(null);
    setFailure(undefined);
  }, []);

  const submit = async (complaintId: string, command: Command, success: string) => {
    setBusy(true);
    setFailure(undefined);
    try {
      await api.execute(complaintId, command);
      setOpen(null);
      setNotice(success);
      reload();
    } catch (e) {
      setFailure(toAppError(e));
      if (reloadOnFailure) reload();
    } finally {
      setBusy(false);
    }
  };

  return { open, busy, failure, notice, start, cancel, submit };
}
