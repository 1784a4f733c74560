import { useEffect, useRef, type FormEvent, type ReactNode } from "react";
import { useI18n } from "../i18n";

/**
 * A modal form. Esc cancels; Enter in a field submits. `busy` disables the
 * buttons while the command runs; `danger` marks irreversible actions.
 */
export function Dialog({
  title,
  children,
  onConfirm,
  onCancel,
  confirmLabel,
  busy = false,
  danger = false,
  canConfirm = true,
  testId = "dialog",
}: {
  title: string;
  children?: ReactNode;
  onConfirm: () => void;
  onCancel: () => void;
  confirmLabel?: string;
  busy?: boolean;
  danger?: boolean;
  canConfirm?: boolean;
  testId?: string;
}) {
  const { t } = useI18n();
  const ref = useRef<HTMLFormElement>(null);
  const cancel = useRef(onCancel);
  cancel.current = onCancel;
  // Focus the first field once, when the dialog opens.
  useEffect(() => {
    const first = ref.current?.querySelector<HTMLElement>("input, select, textarea, button");
    first?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") cancel.current();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!busy && canConfirm) onConfirm();
  };
  return (
    <div className="backdrop" role="presentation">
      <form className="dialog" role="dialog" aria-modal="true" aria-label={title} onSubmit={submit} ref={ref} data-testid={testId}>
        <h2>{title}</h2>
        <div className="dialog-body">{children}</div>
        <div className="dialog-actions">
          <button type="button" onClick={onCancel} disabled={busy} data-testid="dialog-cancel">
            {t("common.cancel")}
          </button>
          <button
            type="submit"
            className={danger ? "danger" : "primary"}
            disabled={busy || !canConfirm}
            data-testid="dialog-confirm"
          >
            {busy ? t("common.working") : (confirmLabel ?? t("common.confirm"))}
          </button>
        </div>
      </form>
    </div>
  );
}
