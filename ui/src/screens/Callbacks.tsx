// Follow-up calls (回访) due within 24 hours, and overdue ones, with the three
// outcomes an agent records after calling: satisfied (with a score), not
// satisfied (reopens the complaint) and unreachable (another try is scheduled).
import { useCallback, useRef, useState, type CSSProperties } from "react";
import type { AppError } from "../bindings/AppError";
import type { CallbackItem } from "../bindings/CallbackItem";
import type { Command } from "../bindings/Command";
import { Countdown } from "../components/Countdown";
import { Dialog } from "../components/Dialog";
import { EmptyState, ErrorBanner, Loading } from "../components/Status";
import { useI18n, type Key } from "../i18n";
import { api, newId, toAppError } from "../lib/api";
import { complaintsChanged } from "../lib/changes";
import { useShell } from "../lib/context";
import { formatDateTime, useNow } from "../lib/time";
import { useLoad } from "../lib/useLoad";

type Outcome = "satisfied" | "not_satisfied" | "unreachable";

const SCORES = [5, 4, 3, 2, 1] as const;

const TITLES: Record<Outcome, Key> = {
  satisfied: "callbacks.satisfied_title",
  not_satisfied: "callbacks.not_satisfied_title",
  unreachable: "callbacks.unreachable_title",
};
const CONFIRMS: Record<Outcome, Key> = {
  satisfied: "callbacks.confirm_satisfied",
  not_satisfied: "callbacks.confirm_reopen",
  unreachable: "callbacks.confirm_unreachable",
};

const linkStyle: CSSProperties = {
  border: "none",
  background: "none",
  padding: 0,
  color: "var(--accent)",
  fontWeight: 600,
  textDecoration: "underline",
  cursor: "pointer",
};

interface Recording {
  item: CallbackItem;
  outcome: Outcome;
  /** Made once per dialog, so retrying after a failure cannot record twice. */
  attemptId: string;
}

/** The record_callback command for an outcome. */
export function callbackCommand(attemptId: string, outcome: Outcome, note: string, score: number): Command {
  switch (outcome) {
    case "satisfied":
      return { name: "record_callback", args: { attempt_id: attemptId, note, outcome, score } };
    case "not_satisfied":
      return { name: "record_callback", args: { attempt_id: attemptId, note, outcome } };
    case "unreachable":
      return { name: "record_callback", args: { attempt_id: attemptId, note, outcome } };
  }
}

export function Callbacks() {
  const { t, lang } = useI18n();
  const { go } = useShell();
  const { data, error, loading, reload } = useLoad(() => api.callbacks(), [], complaintsChanged);
  const [recording, setRecording] = useState<Recording | null>(null);
  const [note, setNote] = useState("");
  const [score, setScore] = useState(5);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<AppError>();
  const [notice, setNotice] = useState<string>();

  const start = (item: CallbackItem, outcome: Outcome) => {
    setRecording({ item, outcome, attemptId: newId() });
    setNote("");
    setScore(5);
    setFailure(undefined);
    setNotice(undefined);
  };

  // Stable, so the dialog does not re-run its focus effect on every keystroke.
  const busyRef = useRef(false);
  busyRef.current = busy;
  const cancel = useCallback(() => {
    if (busyRef.current) return;
    setRecording(null);
    setFailure(undefined);
  }, []);

  const confirm = async () => {
    if (!recording) return;
    const { item, outcome, attemptId } = recording;
    setBusy(true);
    setFailure(undefined);
    try {
      await api.execute(item.complaint_id, callbackCommand(attemptId, outcome, note.trim(), score));
      setRecording(null);
      setNote("");
      setNotice(t("callbacks.recorded", { number: item.number }));
      reload();
    } catch (e) {
      setFailure(toAppError(e));
    } finally {
      setBusy(false);
    }
  };

  const items = data ?? [];

  return (
    <div>
      <h1>
        {t("callbacks.title")}
        {data && data.length > 0 && (
          <span className="muted" style={{ fontSize: 14, fontWeight: 400, marginLeft: 10 }}>
            {t("callbacks.count", { n: data.length })}
          </span>
        )}
      </h1>
      <p className="muted" style={{ marginTop: -6 }}>
        {t("callbacks.subtitle")}
      </p>

      {notice && (
        <div className="notice" role="status" data-testid="notice">
          {notice}
        </div>
      )}
      {error && <ErrorBanner error={error} onRetry={reload} />}

      {loading && !data ? (
        <Loading />
      ) : !data ? null : items.length === 0 ? (
        <div className="panel">
          <EmptyState title={t("callbacks.empty")} hint={t("callbacks.empty_hint")} />
        </div>
      ) : (
        <table className="table" data-testid="callbacks-table">
          <thead>
            <tr>
              <th>{t("callbacks.col.complaint")}</th>
              <th>{t("callbacks.col.phone")}</th>
              <th>{t("callbacks.col.resolved")}</th>
              <th>{t("callbacks.col.next_attempt")}</th>
              <th>{t("callbacks.col.due")}</th>
              <th>{t("callbacks.col.attempts")}</th>
              <th>{t("callbacks.col.record")}</th>
            </tr>
          </thead>
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
                  <button
                    type="button"
                    style={linkStyle}
                    title={t("callbacks.open", { number: item.number })}
                    onClick={() => go({ screen: "complaint", id: item.complaint_id })}
                  >
                    {item.number}
                  </button>
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
      )}

      {recording && (
        <Dialog
          title={t(TITLES[recording.outcome], { number: recording.item.number })}
          confirmLabel={t(CONFIRMS[recording.outcome])}
          danger={recording.outcome === "not_satisfied"}
          busy={busy}
          onCancel={cancel}
          onConfirm={() => void confirm()}
          testId="callback-dialog"
        >
          <p style={{ margin: 0 }}>
            {t("callbacks.who", { customer: recording.item.customer_name, phone: recording.item.customer_phone })}
          </p>
          {recording.outcome === "satisfied" && (
            <label>
              {t("callbacks.score")}
              <select data-testid="cb-score" value={score} onChange={(e) => setScore(Number(e.target.value))}>
                {SCORES.map((s) => (
                  <option key={s} value={s}>
                    {t(`callbacks.score.${s}`)}
                  </option>
                ))}
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
            {t("callbacks.note")}
            <textarea
              data-testid="cb-note"
              rows={3}
              value={note}
              placeholder={
                recording.outcome === "not_satisfied" ? t("callbacks.note_placeholder_not_satisfied") : undefined
              }
              onChange={(e) => setNote(e.target.value)}
            />
          </label>
          {failure && <ErrorBanner error={failure} />}
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
