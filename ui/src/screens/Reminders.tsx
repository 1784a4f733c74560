// The reminder inbox: every reminder this desktop has shown, newest first,
// with acknowledge and snooze. Clicking a reminder opens its complaint.
import { useState, type KeyboardEvent, type MouseEvent } from "react";
import type { AppError } from "../bindings/AppError";
import type { ReminderRow } from "../bindings/ReminderRow";
import { Countdown } from "../components/Countdown";
import { EmptyState, ErrorBanner, ListBody, ScreenTitle } from "../components/Status";
import { TableHead } from "../components/TableHead";
import { useI18n } from "../i18n";
import { api, toAppError } from "../lib/api";
import { remindersChanged } from "../lib/changes";
import { useShell } from "../lib/context";
import { formatDateTime, useNow } from "../lib/time";
import { useLoad } from "../lib/useLoad";

const INBOX_LIMIT = 500;
/** The snooze choices offered on each reminder, in minutes. */
const SNOOZE_MINUTES = [10, 30] as const;

export function Reminders() {
  const { t, lang } = useI18n();
  const { go } = useShell();
  const { data, error, loading, reload } = useLoad(() => api.reminders(INBOX_LIMIT), [], remindersChanged);
  const [unackedOnly, setUnackedOnly] = useState(true);
  const [working, setWorking] = useState<ReadonlySet<string>>(new Set());
  const [failure, setFailure] = useState<AppError>();

  const all = data ?? [];
  const unacked = all.filter((r) => r.acked_at === null);
  const shown = unackedOnly ? unacked : all;

  const act = async (e: MouseEvent, row: ReminderRow, run: () => Promise<unknown>) => {
    // The row opens the complaint; a button inside it must not.
    e.stopPropagation();
    setFailure(undefined);
    setWorking((w) => new Set(w).add(row.key));
    try {
      await run();
      reload();
    } catch (err) {
      setFailure(toAppError(err));
    } finally {
      setWorking((w) => {
        const next = new Set(w);
        next.delete(row.key);
        return next;
      });
    }
  };

  const open = (row: ReminderRow) => go({ screen: "complaint", id: row.complaint_id });
  const onRowKey = (e: KeyboardEvent, row: ReminderRow) => {
    if (e.key === "Enter" && e.target === e.currentTarget) {
      e.preventDefault();
      open(row);
    }
  };

  return (
    <div>
      <ScreenTitle
        title={t("reminders.title")}
        count={unacked.length > 0 ? t("reminders.count", { n: unacked.length }) : undefined}
        countTestId="unacked-count"
      />

      <div style={{ marginBottom: 10 }}>
        <label style={{ display: "inline-flex", alignItems: "center", gap: 6 }}>
          <input
            type="checkbox"
            data-testid="unacked-only"
            checked={unackedOnly}
            onChange={(e) => setUnackedOnly(e.target.checked)}
          />
          {t("reminders.unacked_only")}
        </label>
      </div>

      {failure && <ErrorBanner error={failure} />}
      {error && <ErrorBanner error={error} onRetry={reload} />}

      <ListBody
        loading={loading}
        list={data && shown}
        empty={
          unackedOnly && all.length > 0 ? (
            <EmptyState title={t("reminders.empty_unacked")} hint={t("reminders.empty_unacked_hint")} />
          ) : (
            <EmptyState title={t("reminders.empty")} hint={t("reminders.empty_hint")} />
          )
        }
      >
        <table className="table" data-testid="reminders-table">
          <TableHead
            columns={[
              "reminders.col.kind",
              "reminders.col.reminder",
              "reminders.col.fired",
              "reminders.col.due",
              "reminders.col.status",
              "reminders.col.actions",
            ]}
          />
          <tbody>
            {shown.map((row) => {
              const busy = working.has(row.key);
              const acked = row.acked_at !== null;
              return (
                <tr
                  key={row.key}
                  data-testid="reminder-row"
                  data-kind={row.kind}
                  data-acked={acked}
                  tabIndex={0}
                  title={t("reminders.open")}
                  style={{ cursor: "pointer", opacity: acked ? 0.7 : 1 }}
                  onClick={() => open(row)}
                  onKeyDown={(e) => onRowKey(e, row)}
                >
                  <td>
                    <span
                      className={`tag${row.kind === "sla_breach" ? " bad" : row.kind === "sla_warning" ? " warn" : ""}`}
                    >
                      {t(`reminder.${row.kind}`)}
                    </span>
                  </td>
                  <td>
                    <strong>{row.title}</strong>
                    {row.body && <div className="muted">{row.body}</div>}
                  </td>
                  <td className="muted" style={{ whiteSpace: "nowrap" }}>
                    {formatDateTime(row.fired_at, lang)}
                  </td>
                  <td style={{ whiteSpace: "nowrap" }}>
                    <div>{formatDateTime(row.due_at, lang)}</div>
                    {!acked && <Countdown due={row.due_at} />}
                  </td>
                  <td>
                    <ReminderStatus row={row} />
                  </td>
                  <td>
                    {!acked && (
                      <div className="row-actions">
                        <button
                          type="button"
                          className="primary"
                          data-testid="ack-btn"
                          disabled={busy}
                          onClick={(e) => void act(e, row, () => api.ackReminder(row.key))}
                        >
                          {t("reminders.ack")}
                        </button>
                        {SNOOZE_MINUTES.map((m) => (
                          <button
                            key={m}
                            type="button"
                            data-testid={`snooze-${m}`}
                            disabled={busy}
                            onClick={(e) => void act(e, row, () => api.snoozeReminder(row.key, m))}
                          >
                            {t(`reminders.snooze_${m}`)}
                          </button>
                        ))}
                      </div>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </ListBody>
    </div>
  );
}

/** New, snoozed (until a moment still ahead) or acknowledged. */
function ReminderStatus({ row }: { row: ReminderRow }) {
  const { t, lang } = useI18n();
  const now = useNow();
  if (row.acked_at !== null) {
    return (
      <span className="muted" data-testid="reminder-status" data-status="acked">
        {t("reminders.status.acked", { time: formatDateTime(row.acked_at, lang) })}
      </span>
    );
  }
  if (row.snoozed_until !== null && Date.parse(row.snoozed_until) > now) {
    return (
      <span className="tag" data-testid="reminder-status" data-status="snoozed">
        {t("reminders.status.snoozed", { time: formatDateTime(row.snoozed_until, lang) })}
      </span>
    );
  }
  return (
    <span className="tag warn" data-testid="reminder-status" data-status="new">
      {t("reminders.status.new")}
    </span>
  );
}
