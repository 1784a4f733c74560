// The read-only parts of the complaint screen: facts, clocks, handling,
// remedies, approvals, progress, callback and linked complaints. Buttons in
// them only report what the user wants to do; the screen opens the dialogs.
import { useNames } from "../../lib/names";
import type { CSSProperties, ReactNode } from "react";
import type { ClockView } from "../../bindings/ClockView";
import type { Complaint } from "../../bindings/Complaint";
import type { LinkedComplaint } from "../../bindings/LinkedComplaint";
import type { Remedy } from "../../bindings/Remedy";
import { Countdown } from "../../components/Countdown";
import { Panel } from "../../components/Panel";
import { TableHead } from "../../components/TableHead";
import { useI18n } from "../../i18n";
import { mayTake } from "../../lib/steps";
import type { StepOffer } from "../../bindings/StepOffer";
import { formatMoney } from "../../lib/money";
import { dueStatus, formatDateTime, formatWeekdayTime, useNow } from "../../lib/time";
import { severityLabel } from "../../lib/filters";
import { approvalRemedyNo, callbackOutcomeLabel, clockName, remedyTotal } from "./labels";

/** A section listing things, or saying there are none. */
function ListPanel({
  id,
  title,
  count,
  none,
  children,
}: {
  id: string;
  title: string;
  count: number;
  none: string;
  children: ReactNode;
}) {
  return (
    <Panel id={id} title={title}>
      {count === 0 ? <p className="muted">{none}</p> : children}
    </Panel>
  );
}

const facts: CSSProperties = {
  display: "grid",
  gridTemplateColumns: "max-content 1fr max-content 1fr",
  gap: "6px 14px",
  margin: 0,
};

function Fact({ label, children, wide, testId }: { label: string; children: ReactNode; wide?: boolean; testId?: string }) {
  return (
    <>
      <dt className="muted">{label}</dt>
      <dd style={{ margin: 0, gridColumn: wide ? "span 3" : undefined, whiteSpace: "pre-wrap" }} data-testid={testId}>
        {children}
      </dd>
    </>
  );
}

export function Facts({
  complaint: c,
  pending,
  phoneDisplay,
}: {
  complaint: Complaint;
  pending: boolean;
  /** The phone as the Rust side formats it for this site. */
  phoneDisplay: string;
}) {
  const { t, lang } = useI18n();
  const names = useNames();
  return (
    <section className="panel" aria-label={t("complaint.title")}>
      <div style={{ display: "flex", alignItems: "center", gap: 10, flexWrap: "wrap", marginBottom: 10 }}>
        <h1 style={{ margin: 0 }} data-testid="detail-number">
          {c.number}
        </h1>
        <span className="tag" data-testid="detail-state" data-state={c.state}>
          {t(`state.${c.state}`)}
        </span>
        {c.repeat && (
          <span className="tag warn" data-testid="flag-repeat">
            {t("complaint.flag.repeat", { ordinal: c.repeat.ordinal })}
          </span>
        )}
        {c.repeat?.escalated && (
          <span className="tag bad" data-testid="flag-escalated">
            {t("complaint.flag.escalated")}
          </span>
        )}
        {c.public_exposure && (
          <span className="tag bad" data-testid="flag-public">
            {t("complaint.flag.public")}
          </span>
        )}
        {c.reopen_count > 0 && <span className="tag warn">{t("complaint.flag.reopened", { count: c.reopen_count })}</span>}
        {pending && (
          <span className="tag warn" data-testid="detail-pending" title={t("complaint.pending_hint")}>
            {t("common.pending_sync")}
          </span>
        )}
      </div>
      <dl style={facts}>
        <Fact label={t("complaint.customer")} testId="detail-customer">
          {c.customer.name} · {phoneDisplay}
          {c.customer.customer_id && (
            <span className="muted">
              {" "}
              ({t("complaint.customer_id")}: {c.customer.customer_id})
            </span>
          )}
        </Fact>
        <Fact label={t("complaint.received")}>{formatDateTime(c.received_at, lang)}</Fact>
        <Fact label={t("complaint.kind")}>{t(`kind.${c.kind}`)}</Fact>
        <Fact label={t("complaint.severity")} testId="detail-severity">
          {severityLabel(t, c.severity, true)}
        </Fact>
        <Fact label={t("complaint.channel")}>{names.channel(c.channel)}</Fact>
        <Fact label={t("complaint.subject")}>
          {t("complaint.subject_value", { kind: t(`subject.${c.subject.kind}`), reference: c.subject.reference })}
        </Fact>
        <Fact label={t("complaint.category")} testId="detail-category">
          {names.category(c.category)}
        </Fact>
        <Fact label={t("complaint.demand_class")}>{t(`demand_class.${c.demand_class}`)}</Fact>
        <Fact label={t("complaint.department")} testId="detail-department">
          {c.department ? names.department(c.department) : t("common.none")}
        </Fact>
        <Fact label={t("complaint.owner")} testId="detail-owner">
          {c.owner ? names.person(c.owner) : t("common.none")}
        </Fact>
        <Fact label={t("complaint.demand")} wide>
          {c.demand}
        </Fact>
        <Fact label={t("complaint.description")} wide>
          {c.description}
        </Fact>
      </dl>
      <p className="muted" style={{ marginBottom: 0 }}>
        {t("complaint.recorded_by", { user: names.person(c.recorded_by), at: formatDateTime(c.recorded_at, lang) })}
      </p>
    </section>
  );
}

function ClockState({ view }: { view: ClockView }) {
  const { t, lang } = useI18n();
  const now = useNow();
  const s = view.status;
  if (s.status === "paused") {
    const pause = view.clock.pauses[view.clock.pauses.length - 1];
    const breached = s.breached_at !== null;
    return (
      <>
        <span className={`tag ${breached ? "bad" : "warn"}`} data-testid="clock-paused">
          {t(breached ? "clock_status.breached_paused" : "clock_status.paused")}
        </span>
        {pause && (
          <span className="muted">
            {t("complaint.clock.paused_since", {
              at: formatDateTime(pause.start, lang),
              user: pause.by,
              reason: t(`pause.${pause.reason}`),
            })}
            {pause.note && <> {t("complaint.clock.paused_note", { note: pause.note })}</>}
          </span>
        )}
      </>
    );
  }
  if (s.status === "stopped") {
    const at = view.clock.stopped?.at;
    return (
      <>
        <span className={`tag ${s.outcome === "breached" ? "bad" : ""}`}>{t("clock_status.stopped")}</span>
        <span className="muted">
          {t("complaint.clock.stopped_at", { outcome: t(`outcome.${s.outcome}`), at: formatDateTime(at, lang) })}
        </span>
      </>
    );
  }
  // Running: the status moves on with the clock on screen, not only on reload.
  const live = s.status === "breached" ? "breached" : dueStatus(Date.parse(s.due_at), view.warn_at ? Date.parse(view.warn_at) : null, now);
  return (
    <>
      <span className={`tag ${live === "breached" ? "bad" : live === "warning" ? "warn" : ""}`}>
        {t(`clock_status.${live}`)}
      </span>
      {view.resumes_at && Date.parse(view.resumes_at) > now && (
        <span className="muted" data-testid="clock-outside-hours">
          {t("complaint.clock.outside_hours", { at: formatWeekdayTime(view.resumes_at, lang) })}
        </span>
      )}
    </>
  );
}

export function Clocks({
  complaint,
  steps,
  clocks,
  onPause,
  onResume,
  resuming,
  error,
}: {
  complaint: Complaint;
  /** What the rulebook offers (pausing and resuming each clock). */
  steps: readonly StepOffer[];
  clocks: ClockView[];
  onPause: (c: ClockView) => void;
  onResume: (c: ClockView) => void;
  resuming: string | undefined;
  error?: ReactNode;
}) {
  const { t, lang } = useI18n();
  return (
    <Panel id="clocks" title={t("complaint.section.clocks")}>
      {error}
      {clocks.length === 0 ? (
        <p className="muted">{t("complaint.clock.none")}</p>
      ) : (
        <table className="table" data-testid="clocks">
          <TableHead
            columns={[
              "complaint.clock.kind",
              "complaint.clock.status",
              "complaint.clock.due",
              "complaint.clock.due_at",
              "complaint.clock.cycle",
              "complaint.col.actions",
            ]}
          />
          <tbody>
            {clocks.map((v, i) => {
              const paused = v.status.status === "paused";
              const running = !paused && v.status.status !== "stopped";
              // A breached clock keeps showing how far past its deadline it is, also while paused.
              const due =
                "due_at" in v.status ? v.status.due_at : v.status.status === "paused" ? v.status.breached_at : null;
              return (
                <tr
                  key={v.clock.id}
                  data-testid={`clock-${i}`}
                  data-kind={v.clock.kind}
                  data-status={v.status.status}
                  data-target-secs={v.clock.target_secs}
                >
                  <td>{clockName(t, complaint, v.clock.id)}</td>
                  <td>
                    <ClockState view={v} />
                  </td>
                  <td>{running || due ? <Countdown due={due} warn={v.warn_at} /> : <span className="muted">{t("common.none")}</span>}</td>
                  <td className="muted">{due ? formatDateTime(due, lang) : t("common.none")}</td>
                  <td>{v.clock.cycle}</td>
                  <td>
                    <div className="row-actions">
                      {mayTake(steps, "pause_clock", v.clock.id) && (
                        <button type="button" onClick={() => onPause(v)} data-testid={`action-pause-${i}`}>
                          {t("complaint.action.pause")}
                        </button>
                      )}
                      {mayTake(steps, "resume_clock", v.clock.id) && (
                        <button
                          type="button"
                          onClick={() => onResume(v)}
                          disabled={resuming === v.clock.id}
                          data-testid={`action-resume-${i}`}
                        >
                          {resuming === v.clock.id ? t("common.working") : t("complaint.action.resume")}
                        </button>
                      )}
                    </div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </Panel>
  );
}

export function Handling({ complaint: c }: { complaint: Complaint }) {
  const { t, lang } = useI18n();
  const names = useNames();
  const v = c.validity;
  return (
    <Panel id="handling" title={t("complaint.section.handling")}>
      <dl style={facts}>
        <Fact label={t("complaint.validity")} wide testId="detail-validity">
          {!v
            ? t("complaint.validity.none")
            : v.valid
              ? t("complaint.validity.valid")
              : t("complaint.validity.invalid", { reason: v.reason ? names.invalid(v.reason) : t("common.none") })}
          {v && (
            <span className="muted">
              {" "}
              · {t("complaint.by_at", { user: names.person(v.judged_by), at: formatDateTime(v.judged_at, lang) })}
            </span>
          )}
          {v?.note && <div className="muted">{v.note}</div>}
        </Fact>
        <Fact label={t("complaint.root_cause")} wide testId="detail-root-cause">
          {!c.root_cause ? (
            t("complaint.root_cause.none")
          ) : (
            <>
              {c.root_cause.categories.map((r) => (
                <span key={r} className="tag">
                  {t(`root.${r}`)}
                </span>
              ))}
              <span className="muted">
                {t("complaint.by_at", { user: names.person(c.root_cause.set_by), at: formatDateTime(c.root_cause.set_at, lang) })}
              </span>
              {c.root_cause.note && <div className="muted">{c.root_cause.note}</div>}
            </>
          )}
        </Fact>
        <Fact label={t("complaint.review")} wide testId="detail-review">
          {!c.review ? (
            t("complaint.review.none")
          ) : (
            <>
              <div>{c.review.lessons}</div>
              {c.review.actions.length > 0 && (
                <>
                  <div className="muted">{t("complaint.review.actions")}</div>
                  <ul style={{ margin: "2px 0" }}>
                    {c.review.actions.map((a, i) => (
                      <li key={i}>{a}</li>
                    ))}
                  </ul>
                </>
              )}
              <span className="muted">
                {t("complaint.by_at", { user: c.review.by, at: formatDateTime(c.review.at, lang) })}
              </span>
            </>
          )}
        </Fact>
      </dl>
    </Panel>
  );
}

export function Remedies({
  complaint: c,
  steps,
  onRevise,
  onImplement,
}: {
  complaint: Complaint;
  /** What the rulebook offers (revising and carrying out each remedy). */
  steps: readonly StepOffer[];
  onRevise: (r: Remedy, index: number) => void;
  onImplement: (r: Remedy, index: number) => void;
}) {
  const { t, lang } = useI18n();
  const names = useNames();
  return (
    <ListPanel
      id="remedies"
      title={t("complaint.section.remedies")}
      count={c.remedies.length}
      none={t("complaint.remedies.none")}
    >
      <table className="table" data-testid="remedies">
        <TableHead
          columns={[
            "complaint.col.no",
            "complaint.col.kind",
            "complaint.col.amount",
            "complaint.col.total",
            "complaint.col.state",
            "complaint.col.revision",
            "complaint.col.proposed_by",
            "complaint.col.approved_by",
            "complaint.col.implemented_by",
            "complaint.col.actions",
          ]}
        />
        <tbody>
          {c.remedies.map((r, i) => (
            <tr key={r.id} data-testid={`remedy-${i}`} data-state={r.state}>
              <td>#{i + 1}</td>
              <td>
                {names.remedy(r.kind)}
                {r.round < c.reopen_count && <span className="tag">{t("complaint.remedy.earlier_round")}</span>}
                {r.note && <div className="muted">{r.note}</div>}
              </td>
              <td>
                {formatMoney(r.amount, lang)}
                {r.tier && (
                  <div className="muted">
                    {t("complaint.remedy.tier", {
                      amount: formatMoney({ amount_minor: r.tier.extra_minor, currency: r.amount.currency }, lang),
                      kind: names.remedy(r.tier.extra_kind),
                      condition: r.tier.condition,
                    })}
                  </div>
                )}
              </td>
              <td>{formatMoney({ amount_minor: remedyTotal(r), currency: r.amount.currency }, lang)}</td>
              <td>
                <span className={`tag ${r.state === "rejected" ? "bad" : r.state === "pending_approval" ? "warn" : ""}`}>
                  {t(`remedy_state.${r.state}`)}
                </span>
              </td>
              <td>{r.revision}</td>
              <td>{t("complaint.by_at", { user: names.person(r.proposed_by), at: formatDateTime(r.proposed_at, lang) })}</td>
              <td>
                {r.approved_by ? names.person(r.approved_by) : t("common.none")}
                {r.approved_by && r.auto_approved && <span className="tag">{t("complaint.remedy.auto")}</span>}
              </td>
              <td>
                {r.implemented_by
                  ? t("complaint.by_at", { user: names.person(r.implemented_by), at: formatDateTime(r.implemented_at, lang) })
                  : t("common.none")}
              </td>
              <td>
                <div className="row-actions">
                  {mayTake(steps, "revise_remedy", r.id) && (
                    <button type="button" onClick={() => onRevise(r, i)} data-testid={`action-revise-${i}`}>
                      {t("complaint.action.revise")}
                    </button>
                  )}
                  {mayTake(steps, "mark_implemented", r.id) && (
                    <button type="button" onClick={() => onImplement(r, i)} data-testid="action-implement">
                      {t("complaint.action.implement")}
                    </button>
                  )}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ListPanel>
  );
}

export function Approvals({ complaint: c }: { complaint: Complaint }) {
  const { t, lang } = useI18n();
  const names = useNames();
  return (
    <ListPanel
      id="approvals"
      title={t("complaint.section.approvals")}
      count={c.approvals.length}
      none={t("complaint.approvals.none")}
    >
      <table className="table" data-testid="approvals">
        <TableHead
          columns={[
            "complaint.col.remedy",
            "complaint.col.revision",
            "complaint.col.total",
            "complaint.col.requested_by",
            "complaint.col.required_role",
            "complaint.col.state",
            "complaint.col.decision",
          ]}
        />
        <tbody>
          {c.approvals.map((a) => (
            <tr key={a.id} data-testid="approval" data-state={a.state}>
              <td>
                #{approvalRemedyNo(c, a.id)} {names.remedy(a.kind)}
              </td>
              <td>{a.remedy_revision}</td>
              <td>{formatMoney(a.amount, lang)}</td>
              <td>{t("complaint.by_at", { user: names.person(a.requested_by), at: formatDateTime(a.requested_at, lang) })}</td>
              <td>{t("complaint.role_or_higher", { role: t(`role.${a.required_role}`) })}</td>
              <td>
                <span className={`tag ${a.state === "rejected" ? "bad" : a.state === "pending" ? "warn" : ""}`}>
                  {t(`approval_state.${a.state}`)}
                </span>
              </td>
              <td>
                {a.decided_by
                  ? t("complaint.by_at", { user: names.person(a.decided_by), at: formatDateTime(a.decided_at, lang) })
                  : a.superseded_at
                    ? formatDateTime(a.superseded_at, lang)
                    : t("common.none")}
                {a.reason && <div className="muted">{a.reason}</div>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ListPanel>
  );
}

export function Progress({ complaint: c }: { complaint: Complaint }) {
  const { t, lang } = useI18n();
  return (
    <ListPanel
      id="progress"
      title={t("complaint.section.progress")}
      count={c.progress.length}
      none={t("complaint.progress.none")}
    >
      <ul style={{ listStyle: "none", padding: 0, margin: 0 }} data-testid="progress">
        {[...c.progress].reverse().map((p) => (
          <li key={p.id} style={{ padding: "6px 0", borderBottom: "1px solid var(--line)" }} data-testid="progress-entry">
            <div className="muted">
              {t("complaint.by_at", { user: p.by, at: formatDateTime(p.at, lang) })}{" "}
              <span className={`tag ${p.customer_informed ? "" : "warn"}`}>
                {t(p.customer_informed ? "complaint.progress.informed" : "complaint.progress.internal")}
              </span>
            </div>
            <div style={{ whiteSpace: "pre-wrap" }}>{p.text}</div>
          </li>
        ))}
      </ul>
    </ListPanel>
  );
}

export function CallbackRound({ complaint: c, clocks }: { complaint: Complaint; clocks: ClockView[] }) {
  const { t, lang } = useI18n();
  const cb = c.callback;
  const clock = clocks.find((v) => v.clock.kind === "callback" && v.status.status !== "stopped");
  const deadline = clock && "due_at" in clock.status ? clock.status.due_at : null;
  return (
    <Panel id="callback" title={t("complaint.section.callback")}>
      {!cb ? (
        <p className="muted">{t("complaint.callback.none")}</p>
      ) : (
        <div data-testid="callback">
          <dl style={facts}>
            <Fact label={t("complaint.section.callback")} wide>
              {t("complaint.callback.round", { round: cb.round + 1, at: formatDateTime(cb.resolved_at, lang) })}
            </Fact>
            <Fact label={t("complaint.callback.next")}>
              {cb.next_attempt_at ? formatDateTime(cb.next_attempt_at, lang) : t("common.none")}
            </Fact>
            <Fact label={t("complaint.callback.due")}>
              {deadline ? <Countdown due={deadline} warn={clock?.warn_at} /> : t("common.none")}
            </Fact>
            <Fact label={t("complaint.callback.final")} wide>
              {cb.outcome ? callbackOutcomeLabel(t, cb.outcome) : t("complaint.callback.outstanding")}
            </Fact>
          </dl>
          {cb.attempts.length === 0 ? (
            <p className="muted">{t("complaint.callback.no_attempts")}</p>
          ) : (
            <table className="table" style={{ marginTop: 8 }}>
              <TableHead
                columns={[
                  "complaint.col.no",
                  "complaint.col.when",
                  "complaint.col.who",
                  "complaint.col.outcome",
                  "complaint.col.note",
                ]}
              />
              <tbody>
                {cb.attempts.map((a, i) => (
                  <tr key={a.id} data-testid="callback-attempt">
                    <td>{t("complaint.callback.attempt", { n: i + 1 })}</td>
                    <td>{formatDateTime(a.at, lang)}</td>
                    <td>{a.by}</td>
                    <td>{callbackOutcomeLabel(t, a.outcome)}</td>
                    <td>{a.note}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </Panel>
  );
}

export function Linked({ linked, onOpen }: { linked: LinkedComplaint[]; onOpen: (id: string) => void }) {
  const { t, lang } = useI18n();
  if (linked.length === 0) return null;
  return (
    <Panel id="linked" title={t("complaint.section.linked")}>
      <table className="table" data-testid="linked">
        <tbody>
          {linked.map((l) => (
            <tr key={l.id}>
              <td>
                <button
                  type="button"
                  onClick={() => onOpen(l.id)}
                  title={t("complaint.linked.open", { number: l.number })}
                  data-testid={`linked-${l.id}`}
                >
                  {l.number}
                </button>
              </td>
              <td>
                <span className="tag">{t(`state.${l.state}`)}</span>
              </td>
              <td className="muted">{formatDateTime(l.received_at, lang)}</td>
              <td>{l.demand}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Panel>
  );
}
