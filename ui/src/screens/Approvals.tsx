// The approval queue: every remedy waiting for a decision, how long it has
// waited, how long is left on its approval clock, and approve / reject. Items
// the current user may not decide are shown with the reason, buttons disabled.
import { useState } from "react";
import type { ApprovalItem } from "../bindings/ApprovalItem";
import { ComplaintLink } from "../components/ComplaintLink";
import { Countdown } from "../components/Countdown";
import { Dialog } from "../components/Dialog";
import { EmptyState, ErrorBanner, ListBody, Notice, ScreenTitle } from "../components/Status";
import { TableHead } from "../components/TableHead";
import { errorMessage, useI18n } from "../i18n";
import { api } from "../lib/api";
import { complaintsChanged, settingsChanged } from "../lib/changes";
import { formatMoney } from "../lib/money";
import { formatDateTime, formatElapsed, useNow } from "../lib/time";
import { useLoad } from "../lib/useLoad";
import { useRowDialog } from "../lib/useRowDialog";

interface Deciding {
  item: ApprovalItem;
  approve: boolean;
}

export function Approvals() {
  const { t, lang } = useI18n();
  const { data, error, loading, reload } = useLoad(
    () => api.approvals(),
    [],
    (c) => complaintsChanged(c) || settingsChanged(c),
  );
  // A refused decision leaves the dialog open with what was typed; the list
  // may be stale (someone else decided first), so it is read again.
  const dialog = useRowDialog<Deciding>(reload, { reloadOnFailure: true });
  const [reason, setReason] = useState("");
  const deciding = dialog.open;
  const failure = dialog.failure;

  const start = (item: ApprovalItem, approve: boolean) => {
    setReason("");
    dialog.start({ item, approve });
  };

  const confirm = () => {
    if (!deciding) return;
    const { item, approve } = deciding;
    const text = reason.trim();
    if (!approve && text === "") return;
    void dialog.submit(
      item.complaint_id,
      {
        name: "decide_approval",
        args: {
          approval_id: item.approval.id,
          remedy_revision: item.approval.remedy_revision,
          approve,
          reason: text,
        },
      },
      t(approve ? "approvals.approved" : "approvals.rejected", { number: item.number }),
    );
  };

  const items = data ?? [];

  return (
    <div>
      <ScreenTitle
        title={t("approvals.title")}
        count={data && data.length > 0 ? t("approvals.count", { n: data.length }) : undefined}
      />

      {dialog.notice && <Notice>{dialog.notice}</Notice>}
      {error && <ErrorBanner error={error} onRetry={reload} />}

      <ListBody
        loading={loading}
        list={data}
        empty={<EmptyState title={t("approvals.empty")} hint={t("approvals.empty_hint")} />}
      >
        <table className="table" data-testid="approvals-table">
          <TableHead
            columns={[
              "approvals.col.complaint",
              "approvals.col.remedy",
              "approvals.col.amount",
              "approvals.col.proposer",
              "approvals.col.waiting",
              "approvals.col.due",
              "approvals.col.actions",
            ]}
          />
          <tbody>
            {items.map((item) => (
              <tr key={item.approval.id} data-testid="approval-row" data-number={item.number}>
                <td>
                  <ComplaintLink
                    id={item.complaint_id}
                    number={item.number}
                    title={t("approvals.open", { number: item.number })}
                  />
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
      </ListBody>

      {deciding && (
        <Dialog
          title={t(deciding.approve ? "approvals.approve_title" : "approvals.reject_title", {
            number: deciding.item.number,
          })}
          confirmLabel={t(deciding.approve ? "approvals.approve" : "approvals.reject")}
          danger={!deciding.approve}
          busy={dialog.busy}
          canConfirm={deciding.approve || reason.trim() !== ""}
          onCancel={dialog.cancel}
          onConfirm={confirm}
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
  const { t } = useI18n();
  const now = useNow();
  const from = Date.parse(since);
  if (Number.isNaN(from)) return null;
  return (
    <span className="countdown none" data-testid="waiting">
      {formatElapsed(Math.max(0, now - from), t)}
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
