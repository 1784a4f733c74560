// Follow-up calls (回访) due within 24 hours, and overdue ones, with the three
// outcomes an agent records after calling: satisfied (with a score), not
// satisfied (reopens the complaint) and unreachable (another try is scheduled).
import { useState } from "react";
import type { CallbackItem } from "../bindings/CallbackItem";
import { ComplaintLink } from "../components/ComplaintLink";
import { Countdown } from "../components/Countdown";
import { Dialog } from "../components/Dialog";
import { Options } from "../components/Options";
import { EmptyState, ErrorBanner, ListBody, Notice, ScreenTitle } from "../components/Status";
import { TableHead } from "../components/TableHead";
import { useI18n, type Key } from "../i18n";
import { api, newId } from "../lib/api";
import { callbackCommand, scoreLabel, scoresFor, type CallbackResult } from "../lib/callbacks";
import { complaintsChanged } from "../lib/changes";
import { formatDateTime, useNow } from "../lib/time";
import { useLoad } from "../lib/useLoad";
import { useRowDialog } from "../lib/useRowDialog";

const TITLES: Record<CallbackResult, Key> = {
  satisfied: "callbacks.satisfied_title",
  not_satisfied: "callbacks.not_satisfied_title",
  unreachable: "callbacks.unreachable_title",
};
const CONFIRMS: Record<CallbackResult, Key> = {
  satisfied: "callbacks.confirm_satisfied",
  not_satisfied: "callbacks.confirm_reopen",
  unreachable: "callbacks.confirm_unreachable",
};

interface Recording {
  item: CallbackItem;
  outcome: CallbackResult;
  /** Made once per dialog, so retrying after a failure cannot record twice. */
  attemptId: string;
}

export function Callbacks() {
  const { t, lang } = useI18n();
  const { data, error, loading, reload } = useLoad(() => api.callbacks(), [], complaintsChanged);
  const dialog = useRowDialog<Recording>(reload);
  const [note, setNote] = useState("");
  // No default score: the agent picks what the customer said.
  const [score, setScore] = useState<number | null>(null);
  const recording = dialog.open;

  const start = (item: CallbackItem, outcome: CallbackResult) => {
    setNote("");
    setScore(null);
    dialog.start({ item, outcome, attemptId: newId() });
  };

  const confirm = () => {
    if (!recording) return;
    const { item, outcome, attemptId } = recording;
    const command = callbackCommand(attemptId, outcome, note.trim(), score);
    if (!command) return;
    void dialog.submit(item.complaint_id, command, t("callbacks.recorded", { number: item.number }));
  };

  const items = data ?? [];

  return (
    <div>
      <ScreenTitle
        title={t("callbacks.title")}
        count={data && data.length > 0 ? t("callbacks.count", { n: data.length }) : undefined}
      />
      <p className="muted" style={{ marginTop: -6 }}>
        {t("callbacks.subtitle")}
      </p>

      {dialog.notice && <Notice>{dialog.notice}</Notice>}
      {error && <ErrorBanner error={error} onRetry={reload} />}

      <ListBody
        loading={loading}
        list={data}
        empty={<EmptyState title={t("callbacks.empty")} hint={t("callbacks.empty_hint")} />}
      >
        <table className="table" data-testid="callbacks-table">
          <TableHead
            columns={[
              "callbacks.col.complaint",
              "callbacks.col.phone",
              "callbacks.col.resolved",
              "callbacks.col.next_attempt",
              "callbacks.col.due",
              "callbacks.col.attempts",
              "callbacks.col.record",
            ]}
          />
          <tbody>
            {items.map((item) => (
              <tr
                key={item.complaint_id}
                data-testid="callback-row"
                data-number={item.number}
                data-overdue={item.overdue}
                style={
                  item.overdue ? { background: "var(--bad-bg)", boxShadow: "inset 3px 0 0 var(--bad)" } : undefined
                }
              >
                <td>
                  <ComplaintLink
                    id={item.complaint_id}
                    number={item.number}
                    title={t("callbacks.open", { number: item.number })}
                  />
                  {item.overdue && (
                    <span className="tag bad" data-testid="overdue" style={{ marginLeft: 6 }}>
                      {t("callbacks.overdue")}
                    </span>
                  )}
                  <div>{item.customer_name}</div>
                </td>
                <td style={{ fontVariantNumeric: "tabular-nums", whiteSpace: "nowrap" }}>{item.customer_phone}</td>
                <td className="muted">{formatDateTime(item.resolved_at, lang)}</td>
                <td>
                  <NextAttempt at={item.next_attempt_at} />
                </td>
                <td>
                  <Countdown due={item.due_at} />
                </td>
                <td data-testid="attempts">{item.attempts}</td>
                <td>
                  <div className="row-actions">
                    <button
                      type="button"
                      className="primary"
                      data-testid="cb-satisfied"
                      onClick={() => start(item, "satisfied")}
                    >
                      {t("callback_outcome.satisfied")}
                    </button>
                    <button type="button" data-testid="cb-not-satisfied" onClick={() => start(item, "not_satisfied")}>
                      {t("callback_outcome.not_satisfied")}
                    </button>
                    <button type="button" data-testid="cb-unreachable" onClick={() => start(item, "unreachable")}>
                      {t("callback_outcome.unreachable")}
                    </button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ListBody>

      {recording && (
        <Dialog
          title={t(TITLES[recording.outcome], { number: recording.item.number })}
          confirmLabel={t(CONFIRMS[recording.outcome])}
          danger={recording.outcome === "not_satisfied"}
          busy={dialog.busy}
          canConfirm={callbackCommand(recording.attemptId, recording.outcome, note.trim(), score) !== null}
          onCancel={dialog.cancel}
          onConfirm={confirm}
          testId="callback-dialog"
        >
          <p style={{ margin: 0 }}>
            {t("callbacks.who", { customer: recording.item.customer_name, phone: recording.item.customer_phone })}
          </p>
          {recording.outcome !== "unreachable" && (
            <label>
              {t("callbacks.score_required")}
              <select
                data-testid="cb-score"
                value={score === null ? "" : String(score)}
                required
                onChange={(e) => setScore(e.target.value === "" ? null : Number(e.target.value))}
              >
                <Options
                  values={scoresFor(recording.item.scale, recording.outcome)}
                  label={(s) => scoreLabel(t, s)}
                  empty={t("callbacks.score_choose")}
                />
              </select>
            </label>
          )}
          <p
            className={recording.outcome === "not_satisfied" ? "field-error" : "muted"}
            style={{ margin: 0, fontSize: 13 }}
            data-testid="cb-consequence"
          >
            {recording.outcome === "satisfied"
              ? t("callbacks.satisfied_note")
              : recording.outcome === "not_satisfied"
                ? t("callbacks.not_satisfied_note")
                : t("callbacks.unreachable_note", { n: recording.item.attempts + 1 })}
          </p>
          <label>
            {t(recording.outcome === "not_satisfied" ? "callbacks.reason_required" : "callbacks.note")}
            <textarea
              data-testid="cb-note"
              rows={3}
              value={note}
              required={recording.outcome === "not_satisfied"}
              placeholder={
                recording.outcome === "not_satisfied" ? t("callbacks.note_placeholder_not_satisfied") : undefined
              }
              onChange={(e) => setNote(e.target.value)}
            />
          </label>
          {dialog.failure && <ErrorBanner error={dialog.failure} />}
        </Dialog>
      )}
    </div>
  );
}

/** When to call; flagged once that moment has come. */
function NextAttempt({ at }: { at: string | null }) {
  const { t, lang } = useI18n();
  const now = useNow();
  if (!at) return <span className="muted">{t("common.none")}</span>;
  const due = Date.parse(at) <= now;
  return (
    <span>
      {formatDateTime(at, lang)}
      {due && (
        <span className="tag warn" style={{ marginLeft: 6 }}>
          {t("callbacks.call_now")}
        </span>
      )}
    </span>
  );
}
