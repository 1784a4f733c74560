// The approval queue. "To decide" lists what waits for a decision: first what
// the current user may decide, then what waits for somebody else (a higher
// role, or another approver for one's own request) with who can decide it.
// Each request carries what a decider needs: the complaint in brief, the
// remedy with its tier and the proposer's note, the time waiting against the
// approval clock and the earlier decisions on the complaint. "Decided" lists
// the decisions of the last seven days with who, when and why.
import { useNames } from "../lib/names";
import type { RemedyKind } from "../bindings/RemedyKind";
import { useState } from "react";
import type { Approval } from "../bindings/Approval";
import type { ApprovalItem } from "../bindings/ApprovalItem";
import type { ComplaintBrief } from "../bindings/ComplaintBrief";
import type { DecidedItem } from "../bindings/DecidedItem";
import { SeverityTag, Tabs } from "../components/Bits";
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

type Tab = "todo" | "decided";

/** How far back the "decided" tab looks, in days. */
const DECIDED_DAYS = 7;

export function Approvals() {
  const { t } = useI18n();
  const [tab, setTab] = useState<Tab>("todo");
  return (
    <div>
      <Tabs
        tabs={["todo", "decided"] as const}
        current={tab}
        label={(k) => t(`approvals.tab.${k}`, { days: DECIDED_DAYS })}
        onChoose={setTab}
      />
      {tab === "todo" ? <ToDecide /> : <Decided />}
    </div>
  );
}

function ToDecide() {
  const { t, lang } = useI18n();
  const names = useNames();
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
  const mine = items.filter((i) => i.blocked === null);
  const others = items.filter((i) => i.blocked !== null);

  return (
    <div>
      <ScreenTitle
        title={t("approvals.title")}
        count={mine.length > 0 ? t("approvals.count", { n: mine.length }) : undefined}
      />

      {dialog.notice && <Notice>{dialog.notice}</Notice>}
      {error && <ErrorBanner error={error} onRetry={reload} />}

      <ListBody
        loading={loading}
        list={data}
        empty={<EmptyState title={t("approvals.empty")} hint={t("approvals.empty_hint")} />}
      >
        {mine.length > 0 ? (
          <QueueTable testId="approvals-table" items={mine} onDecide={start} />
        ) : (
          <p className="muted" data-testid="nothing-mine">
            {t("approvals.nothing_mine")}
          </p>
        )}
        {others.length > 0 && (
          <section data-testid="others-section" style={{ marginTop: 18 }}>
            <h3 style={{ margin: "0 0 4px" }}>{t("approvals.others.title", { n: others.length })}</h3>
            <p className="muted" style={{ margin: "0 0 8px", fontSize: 12 }}>
              {t("approvals.others.hint")}
            </p>
            <QueueTable testId="others-table" items={others} />
          </section>
        )}
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
              kind: names.remedy(deciding.item.approval.kind),
              amount: formatMoney(deciding.item.approval.amount, lang),
              by: names.person(deciding.item.approval.requested_by),
            })}
          </p>
          <BriefTags brief={deciding.item.brief} />
          <dl className="facts" data-testid="decide-facts" style={{ margin: 0 }}>
            <dt>{t("approvals.col.demand")}</dt>
            <dd>{deciding.item.brief.demand}</dd>
            <dt>{t("approvals.note")}</dt>
            <dd data-testid="decide-note">
              {deciding.item.remedy.note.trim() === "" ? (
                <span className="muted">{t("approvals.no_note")}</span>
              ) : (
                deciding.item.remedy.note
              )}
            </dd>
            {deciding.item.remedy.tier && (
              <>
                <dt>{t("approvals.tier")}</dt>
                <dd>{tierText(deciding.item, t, lang, names.remedy)}</dd>
              </>
            )}
            <dt>{t("approvals.col.waiting")}</dt>
            <dd>
              <Waiting since={deciding.item.approval.requested_at} />
              {" · "}
              {t("approvals.decide_within")} <ApprovalDue item={deciding.item} />
            </dd>
          </dl>
          {deciding.item.earlier.length > 0 && <Earlier list={deciding.item.earlier} />}
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

type T = ReturnType<typeof useI18n>["t"];
type Lang = ReturnType<typeof useI18n>["lang"];

function tierText(item: ApprovalItem, t: T, lang: Lang, remedy: (k: RemedyKind) => string): string {
  const tier = item.remedy.tier;
  if (!tier) return "";
  return t("complaint.remedy.tier", {
    amount: formatMoney({ amount_minor: tier.extra_minor, currency: item.remedy.amount.currency }, lang),
    kind: remedy(tier.extra_kind),
    condition: tier.condition,
  });
}

/**
 * One table of requests. With `onDecide` the rows carry the decision
 * buttons; without, they say why the current user cannot decide and who can.
 */
function QueueTable({
  items,
  testId,
  onDecide,
}: {
  items: ApprovalItem[];
  testId: string;
  onDecide?: (item: ApprovalItem, approve: boolean) => void;
}) {
  const { t, lang } = useI18n();
  const names = useNames();
  return (
    <table className="table" data-testid={testId}>
      <TableHead
        columns={[
          "approvals.col.complaint",
          "approvals.col.demand",
          "approvals.col.remedy",
          "approvals.col.amount",
          "approvals.col.waiting",
          "approvals.col.due",
          onDecide ? "approvals.col.actions" : "approvals.col.deciders",
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
              <BriefTags brief={item.brief} />
            </td>
            <td style={{ maxWidth: 260 }}>
              <div className="clamp-2" title={item.brief.demand}>
                {item.brief.demand}
              </div>
              <div className="muted" style={{ fontSize: 12 }}>
                {names.category(item.brief.category)}
              </div>
              {item.earlier[0] && (
                <div className="muted" style={{ fontSize: 12 }} data-testid="approval-earlier">
                  {t("approvals.earlier_short", {
                    n: item.earlier.length,
                    last: decisionLine(item.earlier[0], t, lang, names),
                  })}
                </div>
              )}
            </td>
            <td style={{ maxWidth: 260 }}>
              {names.remedy(item.approval.kind)}
              <div className="muted" style={{ fontSize: 12 }}>
                {t("approvals.revision", { n: item.approval.remedy_revision })}
              </div>
              {item.remedy.tier && (
                <div className="muted" style={{ fontSize: 12 }} data-testid="approval-tier">
                  {tierText(item, t, lang, names.remedy)}
                </div>
              )}
              {item.remedy.note.trim() !== "" && (
                <div className="clamp-2" style={{ fontSize: 12 }} data-testid="approval-note" title={item.remedy.note}>
                  “{item.remedy.note}”
                </div>
              )}
            </td>
            <td>
              <strong data-testid="approval-amount">{formatMoney(item.approval.amount, lang)}</strong>
              <div className="muted" style={{ fontSize: 12 }}>
                {t("approvals.requires", { role: t(`role.${item.approval.required_role}`) })}
              </div>
            </td>
            <td title={formatDateTime(item.approval.requested_at, lang)}>
              <div>{names.person(item.approval.requested_by)}</div>
              <Waiting since={item.approval.requested_at} />
            </td>
            <td>
              <ApprovalDue item={item} />
            </td>
            <td>
              {onDecide ? (
                <div className="row-actions">
                  <button
                    type="button"
                    className="primary"
                    data-testid="approve-btn"
                    onClick={() => onDecide(item, true)}
                  >
                    {t("approvals.approve")}
                  </button>
                  <button type="button" data-testid="reject-btn" onClick={() => onDecide(item, false)}>
                    {t("approvals.reject")}
                  </button>
                </div>
              ) : (
                <>
                  <div data-testid="deciders">
                    {item.deciders.length > 0
                      ? t("approvals.deciders", {
                          roles: new Intl.ListFormat(lang, { type: "disjunction" }).format(
                            item.deciders.map((r) => t(`role.${r}`)),
                          ),
                        })
                      : t("approvals.no_deciders")}
                  </div>
                  {item.blocked !== null && (
                    <div
                      className="muted"
                      style={{ fontSize: 12 }}
                      data-testid="blocked-reason"
                      data-code={item.blocked}
                    >
                      {errorMessage(t, item.blocked)}
                    </div>
                  )}
                </>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Severity, public exposure and repeat flags of the complaint behind a request. */
function BriefTags({ brief }: { brief: ComplaintBrief }) {
  const { t } = useI18n();
  return (
    <div className="tags" data-testid="brief-tags" style={{ display: "flex", flexWrap: "wrap", gap: 4, marginTop: 2 }}>
      <SeverityTag level={brief.severity} />
      <span className="tag">{t(`kind.${brief.kind}`)}</span>
      {brief.public_exposure && (
        <span className="tag bad" data-testid="brief-public">
          {t("complaint.flag.public")}
        </span>
      )}
      {brief.repeat_ordinal !== null && (
        <span className="tag warn" data-testid="brief-repeat">
          {t("complaint.flag.repeat", { ordinal: brief.repeat_ordinal })}
        </span>
      )}
      {brief.escalated && <span className="tag bad">{t("complaint.flag.escalated")}</span>}
    </div>
  );
}

/** "Rejected by sup.zhang, 3 Dec 10:05: reason" */
function decisionLine(
  a: Approval,
  t: T,
  lang: Lang,
  names: { person: (user: string) => string; remedy: (k: RemedyKind) => string },
): string {
  const line = t(a.state === "approved" ? "approvals.earlier.approved" : "approvals.earlier.rejected", {
    by: a.decided_by ? names.person(a.decided_by) : "?",
    at: formatDateTime(a.decided_at ?? null, lang),
    kind: names.remedy(a.kind),
    amount: formatMoney(a.amount, lang),
  });
  return a.reason ? `${line}: ${a.reason}` : line;
}

/** Earlier decisions on the complaint, in the decision dialog. */
function Earlier({ list }: { list: Approval[] }) {
  const { t, lang } = useI18n();
  const names = useNames();
  return (
    <div data-testid="decide-earlier">
      <strong style={{ fontSize: 13 }}>{t("approvals.earlier.title")}</strong>
      <ul style={{ margin: "4px 0 0", paddingLeft: 18 }}>
        {list.map((a) => (
          <li key={a.id}>{decisionLine(a, t, lang, names)}</li>
        ))}
      </ul>
    </div>
  );
}

/** The decisions of the last days, newest first. */
function Decided() {
  const { t, lang } = useI18n();
  const names = useNames();
  const { data, error, loading, reload } = useLoad(
    () => api.decidedApprovals(DECIDED_DAYS),
    [],
    (c) => complaintsChanged(c),
  );
  const items: DecidedItem[] = data ?? [];
  return (
    <div>
      <ScreenTitle title={t("approvals.decided.title", { days: DECIDED_DAYS })} />
      {error && <ErrorBanner error={error} onRetry={reload} />}
      <ListBody
        loading={loading}
        list={data}
        empty={<EmptyState title={t("approvals.decided.empty", { days: DECIDED_DAYS })} />}
      >
        <table className="table" data-testid="decided-table">
          <TableHead
            columns={[
              "approvals.col.complaint",
              "approvals.col.remedy",
              "approvals.col.amount",
              "approvals.col.decision",
              "approvals.col.decided_by",
              "approvals.col.reason",
            ]}
          />
          <tbody>
            {items.map((d) => (
              <tr key={d.approval.id} data-testid="decided-row" data-number={d.number}>
                <td>
                  <ComplaintLink
                    id={d.complaint_id}
                    number={d.number}
                    title={t("approvals.open", { number: d.number })}
                  />
                  <div>{d.customer_name}</div>
                </td>
                <td style={{ maxWidth: 260 }}>
                  {names.remedy(d.approval.kind)}
                  {d.note.trim() !== "" && (
                    <div className="clamp-2 muted" style={{ fontSize: 12 }} title={d.note}>
                      “{d.note}”
                    </div>
                  )}
                </td>
                <td>{formatMoney(d.approval.amount, lang)}</td>
                <td>
                  <span
                    className={`tag${d.approval.state === "approved" ? " ok" : " bad"}`}
                    data-testid="decision"
                    data-state={d.approval.state}
                  >
                    {t(`approval_state.${d.approval.state}`)}
                  </span>
                </td>
                <td>
                  <div data-testid="decided-by">{d.approval.decided_by && names.person(d.approval.decided_by)}</div>
                  <div className="muted" style={{ fontSize: 12 }}>
                    {formatDateTime(d.approval.decided_at ?? null, lang)}
                  </div>
                </td>
                <td style={{ maxWidth: 260 }}>
                  {d.approval.reason ? (
                    <span className="clamp-2" title={d.approval.reason}>
                      {d.approval.reason}
                    </span>
                  ) : (
                    <span className="muted">{t("common.none")}</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ListBody>
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
  return <Countdown due={item.due_at} warn={item.warn_at} />;
}
