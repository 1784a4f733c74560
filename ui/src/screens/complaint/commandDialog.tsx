// The frame every closed-loop step dialog shares: running the command against
// the complaint, keeping the dialog open with what was typed when the Rust
// side refuses, the "still needed" line, and the small field components.
import { useState, type ReactNode } from "react";
import type { AppError } from "../../bindings/AppError";
import type { Command } from "../../bindings/Command";
import type { Complaint } from "../../bindings/Complaint";
import { Dialog } from "../../components/Dialog";
import { Options } from "../../components/Options";
import { ErrorBanner } from "../../components/Status";
import { useI18n, type Key } from "../../i18n";
import { api, toAppError } from "../../lib/api";

export interface Common {
  complaint: Complaint;
  onDone: () => void;
  onCancel: () => void;
}

/** An open step dialog's line to the Rust side. */
export interface Runner extends Common {
  busy: boolean;
  /** Why the last try was refused, if it was. */
  error: AppError | undefined;
  send: (command: Command) => void;
}

/**
 * Runs a step's command against the complaint. Success goes to `onDone` (the
 * screen closes the dialog and reloads); a refusal leaves the dialog open with
 * everything typed, showing the error.
 */
export function useCommandDialog(common: Common): Runner {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError>();
  const send = (command: Command) => {
    setBusy(true);
    setError(undefined);
    api.execute(common.complaint.id, command).then(
      () => {
        setBusy(false);
        common.onDone();
      },
      (e: unknown) => {
        setBusy(false);
        setError(toAppError(e));
      },
    );
  };
  return { ...common, busy, error, send };
}

/**
 * The frame every step dialog shares: confirm sends `command`, and stays
 * disabled while a required field is still empty (those are listed under the
 * fields); the Rust side's refusal is shown at the bottom.
 */
export function CommandDialog({
  runner,
  title,
  missing = [],
  command,
  danger,
  confirmLabel,
  children,
}: {
  runner: Runner;
  title: string;
  /** One entry per required field: its label, or false once it is filled in. */
  missing?: (Key | false)[];
  /** What confirming sends; null while the fields do not make a command yet. */
  command: Command | null;
  danger?: boolean;
  confirmLabel?: string;
  children: ReactNode;
}) {
  const { t } = useI18n();
  const unfilled = missing.filter((k): k is Key => k !== false).map((k) => t(k));
  return (
    <Dialog
      title={title}
      onConfirm={() => {
        if (command) runner.send(command);
      }}
      onCancel={runner.onCancel}
      busy={runner.busy}
      danger={danger}
      confirmLabel={confirmLabel}
      canConfirm={unfilled.length === 0}
    >
      {children}
      {unfilled.length > 0 && (
        <p className="muted" data-testid="dialog-missing">
          {t("complaint.dialog.missing", { fields: unfilled.join(", ") })}
        </p>
      )}
      {runner.error && <ErrorBanner error={runner.error} />}
    </Dialog>
  );
}

/** Whether the Rust side named this field (or a part of it) as invalid. */
export function flagged(error: AppError | undefined, field: string): boolean {
  return !!error?.fields?.some((f) => f.field === field || f.field.startsWith(`${field}.`));
}

/** Free text; with `rows` it is a multi-line box. */
export function TextField({
  label,
  value,
  onChange,
  rows,
  invalid,
  testId,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  rows?: number;
  invalid?: boolean;
  testId: string;
}) {
  const shared = {
    value,
    onChange: (e: { target: { value: string } }) => onChange(e.target.value),
    "aria-invalid": invalid || undefined,
    "data-testid": testId,
  };
  return (
    <label>
      {label}
      {rows ? <textarea rows={rows} {...shared} /> : <input {...shared} />}
    </label>
  );
}

/** A pick from a fixed list, starting at "choose…". */
export function ChoiceField<V extends string>({
  label,
  value,
  values,
  optionLabel,
  onChange,
  invalid,
  testId,
}: {
  label: string;
  value: V | "";
  values: readonly V[];
  optionLabel: (v: V) => string;
  onChange: (v: V | "") => void;
  invalid?: boolean;
  testId: string;
}) {
  const { t } = useI18n();
  return (
    <label>
      {label}
      <select
        value={value}
        onChange={(e) => onChange(e.target.value as V | "")}
        aria-invalid={invalid || undefined}
        data-testid={testId}
      >
        <Options values={values} label={optionLabel} empty={t("complaint.f.choose")} />
      </select>
    </label>
  );
}

export function NoteField({ value, onChange, error }: { value: string; onChange: (v: string) => void; error?: AppError }) {
  const { t } = useI18n();
  return (
    <TextField
      label={t("complaint.f.note")}
      rows={2}
      value={value}
      onChange={onChange}
      invalid={flagged(error, "note")}
      testId="f-note"
    />
  );
}
