// The approval queue: every remedy waiting for a decision, how long it has
// waited, how long is left on its approval clock, and approve / reject. Items
// the current user may not decide are shown with the reason, buttons disabled.
import { useCallback, useRef, useState, type CSSProperties } from "react";
import type { AppError } from "../bindings/AppError";
import type { ApprovalItem } from "../bindings/ApprovalItem";
import { Countdown } from "../components/Countdown";
import { Dialog } from "../components/Dialog";
import { EmptyState, ErrorBanner, Loading } from "../components/Status";
import { errorMessage, useI18n } from "../i18n";
import { api, toAppError } from "../lib/api";
import { complaintsChanged, settingsChanged } from "../lib/changes";
import { useShell } from "../lib/context";
import { formatMoney } from "../lib/money";
import { formatDateTime, formatElapsed, useNow } from "../lib/time";
import { useLoad } from "../lib/useLoad";

const linkStyle: CSSProperties = {
  border: "none",
  background: "none",
  padding: 0,
  color: "var(--accent)",
  fontWeight: 600,
  textDecoration: "underline",
  cursor: "pointer",
};

interface Deciding {
  item: ApprovalItem;
  approve: boolean;
}

export function Approvals() {
  const { t, lang } = useI18n();
  const { go } = useShell();
  const { data, error, loading, reload } = useLoad(
    () => api.approvals(),
    [],
    (c) => complaintsChanged(c) || settingsChanged(c),
  );
  const [deciding, setDeciding] = useState<Deciding | null>(null);
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<AppError>();
  const [notice, setNotice] = useState<string>();

  const start = (item: ApprovalItem, approve: boolean) => {
    setDeciding({ item, approve });
    setReason("");
    setFailure(undefined);
    setNotice(undefined);
  };

  // Stable, so the dialog does not re-run its focus effect on every keystroke.
  const busyRef = useRef(false);
  busyRef.current = busy;
  const cancel = useCallback(() => {
    if (busyRef.current) return;
    setDeciding(null);
    setFailure(undefined);
  }, []);

  const confirm = async () => {
    if (!deciding) return;
    const { item, approve } = deciding;
    const text = reason.trim();
    if (!approve && text === "") return;
    setBusy(true);
    setFailure(undefined);
    try {
      await api.execute(item.complaint_id, {
        name: "decide_approval",
        args: {
          approval_id: item.approval.id,
          remedy_revision: item.approval.remedy_revision,
          approve,
          reason: text,
        },
      });
      setDeciding(null);
      setReason("");
      setNotice(t(approve ? "approvals.approved" : "approvals.rejected", { number: item.number }));
      reload();
    } catch (e) {
      // The dialog stays open with what was typed; the list may be stale.
      setFailure(toAppError(e));
      reload();
    } finally {
      setBusy(false);
    }
  };

  const items = data ?? [];

  return (
    <div>
      <h1>
        {t("approvals.title")}
        {data && data.length > 0 && (
          <span className="muted" style={{ fontSize: 14, fontWeight: 400, marginLeft: 10 }}>
            {t("approvals.count", { n: data.length })}
          </span>
        )}
      </h1>

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
          <EmptyState title={t("approvals.empty")} hint={t("approvals.empty_hint")} />
        </div>
      ) : (
        <table className="table" data-testid="approvals-table">
          <thead>
            <tr>
              <th>{t("approvals.col.complaint")}</th>
              <th>{t("approvals.col.remedy")}</th>
              <th>{t("approvals.col.amount")}</th>
              <th>{t("approvals.col.proposer")}</th>
              <th>{t("approvals.col.waiting")}</th>
              <th>{t("approvals.col.due")}</th>
              <th>{t("approvals.col.actions")}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.approval.id} data-testid="approval-row" data-number={item.number}>
                <td>
                  <button
                    type="button"
                    style={linkStyle}
                    title={t("approvals.open", { number: item.number })}
                    onClick={() => go({ screen: "complaint", id: item.complaint_id })}
                  >
                    {item.number}
                  </button>
                  <div>{item.customer_name}</div>
                </td>
                <td>
                  {t(`remedy.${item.approval.kind}`)}
                  <div className="muted" style={{ fontSize: 12 }}>
                    {t("approvals.revision", { n: item.approval.remedy_revision })}
                  </div>
                </td>
                <td>
                  <strong data-testid="approval-amount">{formatMoney(item.approval.amount, lang)}</strong>
                  <div className="muted" style={{ fontSize: 12 }}>
                    {t("approvals.requires", { role: t(`role.${item.approval.required_role}`) })}
                  </div>
                </td>
                <td>{item.approval.requested_by}</td>
                <td title={formatDateTime(item.approval.requested_at, lang)}>
                  <Waiting since={item.approval.requested_at} />
                </td>
                <td>
                  <ApprovalDue item={item} />
                </td>
                <td>
                  <div className="row-actions">
                    <button
                      type="button"
                      className="primary"
                      data-testid="approve-btn"
                      disabled={item.blocked !== null}
                      aria-describedby={item.blocked !== null ? `blocked-${item.approval.id}` : undefined}
                      onClick={() => start(item, true)}
                    >
                      {t("approvals.approve")}
                    </button>
                    <button
                      type="button"
                      data-testid="reject-btn"
                      disabled={item.blocked !== null}
                      aria-describedby={item.blocked !== null ? `blocked-${item.approval.id}` : undefined}
                      onClick={() => start(item, false)}
                    >
                      {t("approvals.reject")}
                    </button>
                  </div>
                  {item.blocked !== null && (
                    <div
                      className="field-error"
                      id={`blocked-${item.approval.id}`}
                      data-testid="blocked-reason"
                      data-code={item.blocked}
                    >
                      {errorMessage(t, item.blocked)}
                    </div>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {deciding && (
        <Dialog
          title={t(deciding.approve ? "approvals.approve_title" : "approvals.reject_title", {
            number: deciding.item.number,
          })}
          confirmLabel={t(deciding.approve ? "approvals.approve" : "approvals.reject")}
          danger={!deciding.approve}
          busy={busy}
          canConfirm={deciding.approve || reason.trim() !== ""}
          onCancel={cancel}
          onConfirm={() => void confirm()}
          testId="decide-dialog"
        >
          <p style={{ margin: 0 }}>
            {t("approvals.summary", {
              customer: deciding.item.customer_name,
              kind: t(`remedy.${deciding.item.approval.kind}`),
              amount: formatMoney(deciding.item.approval.amount, lang),
              by: deciding.item.approval.requested_by,
            })}
          </p>
          <p className="muted" style={{ margin: 0 }}>
            {t(deciding.approve ? "approvals.approve_note" : "approvals.reject_note")}
          </p>
          <label>
            {t(deciding.approve ? "approvals.reason_optional" : "approvals.reason_required")}
            <textarea
              data-testid="reason-input"
              rows={3}
              value={reason}
              required={!deciding.approve}
              aria-invalid={!deciding.approve && reason.trim() === "" && failure !== undefined}
              onChange={(e) => setReason(e.target.value)}
            />
          </label>
          {!deciding.approve && reason.trim() === "" && (
            <span className="muted" style={{ fontSize: 12 }}>
              {t("approvals.reason_missing")}
            </span>
          )}
          {failure && <ErrorBanner error={failure} />}
        </Dialog>
      )}
    </div>
  );
}

/** How long a request has been waiting, counting up live. */
function Waiting({ since }: { since: string }) {
  const { lang } = useI18n();
  const now = useNow();
  const from = Date.parse(since);
  if (Number.isNaN(from)) return null;
  return (
    <span className="countdown none" data-testid="waiting">
      {formatElapsed(Math.max(0, now - from), lang)}
    </span>
  );
}

/** The approval clock: a countdown, or why there is none. */
function ApprovalDue({ item }: { item: ApprovalItem }) {
  const { t } = useI18n();
  const status = item.status?.status;
  if (status === "paused") return <span className="tag">{t("clock_status.paused")}</span>;
  if (status === "stopped") return <span className="tag">{t("clock_status.stopped")}</span>;
  // The Rust side reports the status but not the warning instant. A clock that
  // was already in warning when the list was read stays in warning until it is
  // due, so any earlier instant (the request time) works as its warning mark.
  const warn = status === "warning" ? item.approval.requested_at : null;
  return <Countdown due={item.due_at} warn={warn} />;
}
