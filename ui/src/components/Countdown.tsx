import { useI18n } from "../i18n";
import { dueStatus, formatCountdown, useNow } from "../lib/time";

/** An instant as RFC 3339 text or as epoch milliseconds. */
type Instant = string | number | null | undefined;

const msOf = (i: Instant): number | null =>
  i === null || i === undefined || i === "" ? null : typeof i === "number" ? i : Date.parse(i);

/** A live countdown to `due`, coloured ok / warning / breached. */
export function Countdown({ due, warn }: { due: Instant; warn?: Instant }) {
  const { t } = useI18n();
  const now = useNow();
  const dueMs = msOf(due);
  if (dueMs === null) return <span className="countdown none">{t("common.none")}</span>;
  const warnMs = msOf(warn);
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
