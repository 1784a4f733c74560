import { useI18n } from "../i18n";
import { dueStatus, formatCountdown, useNow } from "../lib/time";

/** A live countdown to `due`, coloured ok / warning / breached. */
export function Countdown({ due, warn }: { due: string | null; warn?: string | null }) {
  const { t } = useI18n();
  const now = useNow();
  if (!due) return <span className="countdown none">{t("common.none")}</span>;
  const dueMs = Date.parse(due);
  const warnMs = warn ? Date.parse(warn) : null;
  const status = dueStatus(dueMs, warnMs, now);
  return (
    <span
      className={`countdown ${status}`}
      data-testid="countdown"
      data-status={status}
      title={status === "breached" ? t("common.overdue") : t("common.due_in")}
    >
      {formatCountdown(dueMs - now, t)}
    </span>
  );
}
