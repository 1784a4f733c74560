// One dialog per closed-loop step. Each keeps what was typed in its own state,
// so a refused command (shown inside the dialog) loses nothing, and asks the
// Rust side to run the command; the complaint screen reloads on success.
import { useState, type ReactNode } from "react";
import type { AppError } from "../../bindings/AppError";
import type { CallbackOutcome } from "../../bindings/CallbackOutcome";
import type { ClockView } from "../../bindings/ClockView";
import type { Command } from "../../bindings/Command";
import type { Complaint } from "../../bindings/Complaint";
import type { InvalidReason } from "../../bindings/InvalidReason";
import type { PauseReason } from "../../bindings/PauseReason";
import type { Remedy } from "../../bindings/Remedy";
import type { RemedyKind } from "../../bindings/RemedyKind";
import type { RootCause } from "../../bindings/RootCause";
import { Dialog } from "../../components/Dialog";
import { ErrorBanner } from "../../components/Status";
import { useI18n } from "../../i18n";
import { api, newId, toAppError } from "../../lib/api";
import { formatMoney, parseAmount } from "../../lib/money";
import { CURRENCY, clockName } from "./labels";

export const INVALID_REASONS: readonly InvalidReason[] = [
  "misunderstanding",
  "outside_policy",
  "duplicate",
  "not_our_service",
  "other",
];
export const ROOT_CAUSES: readonly RootCause[] = [
  "process",
  "people",
  "system",
  "management",
  "knowledge_base",
  "product",
  "customer_misunderstanding",
];
export const REMEDY_KINDS: readonly RemedyKind[] = [
  "refund",
  "replacement",
  "repair",
  "discount",
  "compensation_payment",
  "fee_waiver",
  "voucher",
  "service_upgrade",
  "apology_only",
];
export const PAUSE_REASONS: readonly PauseReason[] = ["waiting_on_customer", "waiting_on_third_party", "other"];
/** Department ids the demo data and the routing rules use; others may be typed. */
export const KNOWN_DEPARTMENTS: readonly string[] = [
  "logistics",
  "quality",
  "billing",
  "network_operations",
  "field_service",
  "customer_care",
];

/** What dialog is open, with what the user saw when opening it. */
export type OpenAction =
  | { name: "judge" }
  | { name: "assign" }
  | { name: "set_root_cause" }
  | { name: "add_progress" }
  | { name: "propose_remedy" }
  | { name: "resolve" }
  | { name: "record_callback" }
  | { name: "review" }
  | { name: "close" }
  | { name: "reopen" }
  | { name: "revise_remedy"; remedy: Remedy; index: number }
  | { name: "mark_implemented"; remedy: Remedy; index: number }
  | { name: "pause_clock"; clock: ClockView };

interface Run {
  busy: boolean;
  error: AppError | undefined;
  run: (command: Command) => void;
}

function useRun(complaintId: string, onDone: () => void): Run {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError>();
  const run = (command: Command) => {
    setBusy(true);
    setError(undefined);
    api.execute(complaintId, command).then(
      () => {
        setBusy(false);
        onDone();
      },
      (e: unknown) => {
        setBusy(false);
        setError(toAppError(e));
      },
    );
  };
  return { busy, error, run };
}

/** Whether the Rust side named this field (or a part of it) as invalid. */
function flagged(error: AppError | undefined, field: string): boolean {
  return !!error?.fields?.some((f) => f.field === field || f.field.startsWith(`${field}.`));
}

function Frame({
  title,
  missing,
  state,
  onConfirm,
  onCancel,
  danger,
  confirmLabel,
  children,
}: {
  title: string;
  missing: string[];
  state: Run;
  onConfirm: () => void;
  onCancel: () => void;
  danger?: boolean;
  confirmLabel?: string;
  children: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <Dialog
      title={title}
      onConfirm={onConfirm}
      onCancel={onCancel}
      busy={state.busy}
      danger={danger}
      confirmLabel={confirmLabel}
      canConfirm={missing.length === 0}
    >
      {children}
      {missing.length > 0 && (
        <p className="muted" data-testid="dialog-missing">
          {t("complaint.dialog.missing", { fields: missing.join(", ") })}
        </p>
      )}
      {state.error && <ErrorBanner error={state.error} />}
    </Dialog>
  );
}

interface Common {
  complaint: Complaint;
  onDone: () => void;
  onCancel: () => void;
}

function NoteField({ value, onChange, error }: { value: string; onChange: (v: string) => void; error?: AppError }) {
  const { t } = useI18n();
  return (
    <label>
      {t("complaint.f.note")}
      <textarea
        rows={2}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={flagged(error, "note") || undefined}
        data-testid="f-note"
      />
    </label>
  );
}

function JudgeDialog({ complaint, onDone, onCancel }: Common) {
  const { t } = useI18n();
  const state = useRun(complaint.id, onDone);
  const [valid, setValid] = useState<"" | "yes" | "no">("");
  const [reason, setReason] = useState<InvalidReason | "">("");
  const [note, setNote] = useState("");
  const missing: string[] = [];
  if (!valid) missing.push(t("complaint.f.valid"));
  if (valid === "no" && !reason) missing.push(t("complaint.f.invalid_reason"));
  const confirm = () =>
    state.run({
      name: "judge",
      args: { valid: valid === "yes", reason: valid === "no" && reason ? reason : null, note },
    });
  return (
    <Frame title={t("complaint.action.judge")} missing={missing} state={state} onConfirm={confirm} onCancel={onCancel}>
      <label>
        {t("complaint.f.valid")}
        <select value={valid} onChange={(e) => setValid(e.target.value as "" | "yes" | "no")} data-testid="f-valid">
          <option value="">{t("complaint.f.choose")}</option>
          <option value="yes">{t("complaint.f.valid_yes")}</option>
          <option value="no">{t("complaint.f.valid_no")}</option>
        </select>
      </label>
      {valid === "no" && (
        <label>
          {t("complaint.f.invalid_reason")}
          <select
            value={reason}
            onChange={(e) => setReason(e.target.value as InvalidReason | "")}
            aria-invalid={flagged(state.error, "reason") || undefined}
            data-testid="f-reason"
          >
            <option value="">{t("complaint.f.choose")}</option>
            {INVALID_REASONS.map((r) => (
              <option key={r} value={r}>
                {t(`invalid.${r}`)}
              </option>
            ))}
          </select>
        </label>
      )}
      <NoteField value={note} onChange={setNote} error={state.error} />
    </Frame>
  );
}

function AssignDialog({ complaint, onDone, onCancel }: Common) {
  const { t } = useI18n();
  const state = useRun(complaint.id, onDone);
  const [department, setDepartment] = useState(complaint.department ?? "");
  const [owner, setOwner] = useState(complaint.owner ?? "");
  const missing = department.trim() ? [] : [t("complaint.f.department")];
  const confirm = () =>
    state.run({ name: "assign", args: { department: department.trim(), owner: owner.trim() || null } });
  return (
    <Frame
      title={t(complaint.department ? "complaint.action.reassign" : "complaint.action.assign")}
      missing={missing}
      state={state}
      onConfirm={confirm}
      onCancel={onCancel}
    >
      <label>
        {t("complaint.f.department")}
        <input
          value={department}
          onChange={(e) => setDepartment(e.target.value)}
          list="known-departments"
          required
          aria-invalid={flagged(state.error, "department") || undefined}
          data-testid="f-department"
        />
        <datalist id="known-departments">
          {KNOWN_DEPARTMENTS.map((d) => (
            <option key={d} value={d} />
          ))}
        </datalist>
      </label>
      <label>
        {t("complaint.f.owner")}
        <input
          value={owner}
          onChange={(e) => setOwner(e.target.value)}
          aria-invalid={flagged(state.error, "owner") || undefined}
          data-testid="f-owner"
        />
      </label>
    </Frame>
  );
}

function RootCauseDialog({ complaint, onDone, onCancel }: Common) {
  const { t } = useI18n();
  const state = useRun(complaint.id, onDone);
  const [categories, setCategories] = useState<RootCause[]>(complaint.root_cause?.categories ?? []);
  const [note, setNote] = useState(complaint.root_cause?.note ?? "");
  const toggle = (r: RootCause, on: boolean) =>
    setCategories((cs) => (on ? ROOT_CAUSES.filter((x) => x === r || cs.includes(x)) : cs.filter((x) => x !== r)));
  const missing = categories.length > 0 ? [] : [t("complaint.f.categories")];
  const confirm = () => state.run({ name: "set_root_cause", args: { categories, note } });
  return (
    <Frame
      title={t(complaint.root_cause ? "complaint.action.update_root_cause" : "complaint.action.set_root_cause")}
      missing={missing}
      state={state}
      onConfirm={confirm}
      onCancel={onCancel}
    >
      <fieldset style={{ border: "none", padding: 0, margin: 0 }}>
        <legend className="muted">{t("complaint.f.categories")}</legend>
        {ROOT_CAUSES.map((r) => (
          <label key={r} className="check">
            <input
              type="checkbox"
              checked={categories.includes(r)}
              onChange={(e) => toggle(r, e.target.checked)}
              data-testid={`f-categories-${r}`}
            />
            {t(`root.${r}`)}
          </label>
        ))}
      </fieldset>
      <NoteField value={note} onChange={setNote} error={state.error} />
    </Frame>
  );
}

function ProgressDialog({ complaint, onDone, onCancel }: Common) {
  const { t } = useI18n();
  const state = useRun(complaint.id, onDone);
  // One id per dialog: a retry after a lost answer cannot post the update twice.
  const [updateId] = useState(newId);
  const [text, setText] = useState("");
  const [informed, setInformed] = useState(true);
  const missing = text.trim() ? [] : [t("complaint.f.text")];
  const confirm = () =>
    state.run({ name: "add_progress", args: { update_id: updateId, text: text.trim(), customer_informed: informed } });
  return (
    <Frame
      title={t("complaint.action.add_progress")}
      missing={missing}
      state={state}
      onConfirm={confirm}
      onCancel={onCancel}
    >
      <label>
        {t("complaint.f.text")}
        <textarea
          rows={4}
          value={text}
          onChange={(e) => setText(e.target.value)}
          aria-invalid={flagged(state.error, "text") || undefined}
          data-testid="f-text"
        />
      </label>
      <label className="check">
        <input
          type="checkbox"
          checked={informed}
          onChange={(e) => setInformed(e.target.checked)}
          data-testid="f-informed"
        />
        {t("complaint.f.informed")}
      </label>
    </Frame>
  );
}

/** An amount field's state: empty, not an amount, or minor units. */
function amountOf(text: string): { empty: boolean; minor: number | null } {
  return { empty: text.trim() === "", minor: parseAmount(text) };
}

function ProposeRemedyDialog({ complaint, onDone, onCancel }: Common) {
  const { t, lang } = useI18n();
  const state = useRun(complaint.id, onDone);
  const [remedyId] = useState(newId);
  const [kind, setKind] = useState<RemedyKind | "">("");
  const [amount, setAmount] = useState("");
  const [tiered, setTiered] = useState(false);
  const [extra, setExtra] = useState("");
  const [extraKind, setExtraKind] = useState<RemedyKind | "">("");
  const [condition, setCondition] = useState("");
  const [note, setNote] = useState("");

  const apology = kind === "apology_only";
  const base = apology ? { empty: false, minor: 0 } : amountOf(amount);
  const ex = amountOf(extra);
  const extraBad = tiered && !ex.empty && (ex.minor === null || ex.minor <= 0);
  const missing: string[] = [];
  if (!kind) missing.push(t("complaint.f.remedy_kind"));
  if (base.minor === null) missing.push(t("complaint.f.amount"));
  if (tiered) {
    if (ex.minor === null || ex.minor <= 0) missing.push(t("complaint.f.tier_extra"));
    if (!extraKind) missing.push(t("complaint.f.tier_kind"));
    if (!condition.trim()) missing.push(t("complaint.f.tier_condition"));
  }
  const total = (base.minor ?? 0) + (tiered ? (ex.minor ?? 0) : 0);

  const confirm = () => {
    if (!kind || base.minor === null) return;
    state.run({
      name: "propose_remedy",
      args: {
        remedy_id: remedyId,
        kind,
        amount: { amount_minor: base.minor, currency: CURRENCY },
        tier:
          tiered && extraKind && ex.minor !== null
            ? { extra_minor: ex.minor, extra_kind: extraKind, condition: condition.trim() }
            : null,
        note,
      },
    });
  };
  return (
    <Frame
      title={t("complaint.action.propose_remedy")}
      missing={missing}
      state={state}
      onConfirm={confirm}
      onCancel={onCancel}
    >
      <label>
        {t("complaint.f.remedy_kind")}
        <select
          value={kind}
          onChange={(e) => setKind(e.target.value as RemedyKind | "")}
          aria-invalid={flagged(state.error, "kind") || undefined}
          data-testid="f-kind"
        >
          <option value="">{t("complaint.f.choose")}</option>
          {REMEDY_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`remedy.${k}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("complaint.f.amount")}
        <input
          inputMode="decimal"
          value={apology ? "0" : amount}
          disabled={apology}
          onChange={(e) => setAmount(e.target.value)}
          aria-invalid={(!base.empty && base.minor === null) || flagged(state.error, "amount") || undefined}
          data-testid="f-amount"
        />
        {apology && <span className="muted">{t("complaint.f.amount_apology")}</span>}
        {!base.empty && base.minor === null && (
          <span className="field-error" data-testid="f-amount-error">
            {t("complaint.f.amount_invalid")}
          </span>
        )}
      </label>
      <label className="check">
        <input type="checkbox" checked={tiered} onChange={(e) => setTiered(e.target.checked)} data-testid="f-tier" />
        {t("complaint.f.tier")}
      </label>
      {tiered && (
        <>
          <label>
            {t("complaint.f.tier_extra")}
            <input
              inputMode="decimal"
              value={extra}
              onChange={(e) => setExtra(e.target.value)}
              aria-invalid={extraBad || flagged(state.error, "tier.extra_minor") || undefined}
              data-testid="f-tier-extra"
            />
            {extraBad && <span className="field-error">{t("complaint.f.tier_extra_invalid")}</span>}
          </label>
          <label>
            {t("complaint.f.tier_kind")}
            <select
              value={extraKind}
              onChange={(e) => setExtraKind(e.target.value as RemedyKind | "")}
              aria-invalid={flagged(state.error, "tier.extra_kind") || undefined}
              data-testid="f-tier-kind"
            >
              <option value="">{t("complaint.f.choose")}</option>
              {REMEDY_KINDS.filter((k) => k !== "apology_only").map((k) => (
                <option key={k} value={k}>
                  {t(`remedy.${k}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t("complaint.f.tier_condition")}
            <input
              value={condition}
              onChange={(e) => setCondition(e.target.value)}
              aria-invalid={flagged(state.error, "tier.condition") || undefined}
              data-testid="f-tier-condition"
            />
          </label>
        </>
      )}
      <NoteField value={note} onChange={setNote} error={state.error} />
      {base.minor !== null && (
        <p className="muted" data-testid="f-total">
          {t("complaint.f.total", { amount: formatMoney({ amount_minor: total, currency: CURRENCY }, lang) })}
        </p>
      )}
    </Frame>
  );
}

function ReviseDialog({ complaint, remedy, index, onDone, onCancel }: Common & { remedy: Remedy; index: number }) {
  const { t, lang } = useI18n();
  const state = useRun(complaint.id, onDone);
  const [amount, setAmount] = useState((remedy.amount.amount_minor / 100).toFixed(2));
  const [note, setNote] = useState("");
  const a = amountOf(amount);
  const missing = a.minor === null ? [t("complaint.f.new_amount")] : [];
  const confirm = () => {
    if (a.minor === null) return;
    state.run({
      name: "revise_remedy",
      args: { remedy_id: remedy.id, expected_revision: remedy.revision, amount_minor: a.minor, note },
    });
  };
  return (
    <Frame
      title={t("complaint.dialog.revise", { n: index + 1, kind: t(`remedy.${remedy.kind}`) })}
      missing={missing}
      state={state}
      onConfirm={confirm}
      onCancel={onCancel}
    >
      <p className="muted">
        {t("complaint.f.current", {
          amount: formatMoney(remedy.amount, lang),
          revision: remedy.revision,
          state: t(`remedy_state.${remedy.state}`),
        })}
      </p>
      <label>
        {t("complaint.f.new_amount")}
        <input
          inputMode="decimal"
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
          aria-invalid={(!a.empty && a.minor === null) || flagged(state.error, "amount") || undefined}
          data-testid="f-amount"
        />
        {!a.empty && a.minor === null && <span className="field-error">{t("complaint.f.amount_invalid")}</span>}
      </label>
      <NoteField value={note} onChange={setNote} error={state.error} />
    </Frame>
  );
}

function ImplementDialog({ complaint, remedy, index, onDone, onCancel }: Common & { remedy: Remedy; index: number }) {
  const { t } = useI18n();
  const state = useRun(complaint.id, onDone);
  const [note, setNote] = useState("");
  const confirm = () => state.run({ name: "mark_implemented", args: { remedy_id: remedy.id, note } });
  return (
    <Frame
      title={t("complaint.dialog.implement", { n: index + 1, kind: t(`remedy.${remedy.kind}`) })}
      missing={[]}
      state={state}
      onConfirm={confirm}
      onCancel={onCancel}
    >
      <NoteField value={note} onChange={setNote} error={state.error} />
    </Frame>
  );
}

function ResolveDialog({ complaint, onDone, onCancel }: Common) {
  const { t } = useI18n();
  const state = useRun(complaint.id, onDone);
  const [note, setNote] = useState("");
  return (
    <Frame
      title={t("complaint.action.resolve")}
      missing={[]}
      state={state}
      onConfirm={() => state.run({ name: "resolve", args: { note } })}
      onCancel={onCancel}
    >
      <p className="muted">{t("complaint.dialog.resolve_hint")}</p>
      <NoteField value={note} onChange={setNote} error={state.error} />
    </Frame>
  );
}

function CallbackDialog({ complaint, onDone, onCancel }: Common) {
  const { t } = useI18n();
  const state = useRun(complaint.id, onDone);
  const [attemptId] = useState(newId);
  const [outcome, setOutcome] = useState<CallbackOutcome["outcome"] | "">("");
  const [score, setScore] = useState("");
  const [note, setNote] = useState("");
  const missing: string[] = [];
  if (!outcome) missing.push(t("complaint.f.outcome"));
  if (outcome === "satisfied" && !score) missing.push(t("complaint.f.score"));
  const confirm = () => {
    if (!outcome) return;
    const args = { attempt_id: attemptId, note };
    const command: Command =
      outcome === "satisfied"
        ? { name: "record_callback", args: { ...args, outcome, score: Number(score) } }
        : { name: "record_callback", args: { ...args, outcome } };
    state.run(command);
  };
  return (
    <Frame
      title={t("complaint.action.record_callback")}
      missing={missing}
      state={state}
      onConfirm={confirm}
      onCancel={onCancel}
    >
      <label>
        {t("complaint.f.outcome")}
        <select
          value={outcome}
          onChange={(e) => setOutcome(e.target.value as CallbackOutcome["outcome"] | "")}
          data-testid="f-outcome"
        >
          <option value="">{t("complaint.f.choose")}</option>
          {(["satisfied", "not_satisfied", "unreachable"] as const).map((o) => (
            <option key={o} value={o}>
              {t(`callback_outcome.${o}`)}
            </option>
          ))}
        </select>
      </label>
      {outcome === "satisfied" && (
        <label>
          {t("complaint.f.score")}
          <select
            value={score}
            onChange={(e) => setScore(e.target.value)}
            aria-invalid={flagged(state.error, "score") || undefined}
            data-testid="f-score"
          >
            <option value="">{t("complaint.f.choose")}</option>
            {[5, 4, 3, 2, 1].map((s) => (
              <option key={s} value={String(s)}>
                {s}
              </option>
            ))}
          </select>
        </label>
      )}
      <NoteField value={note} onChange={setNote} error={state.error} />
    </Frame>
  );
}

function ReviewDialog({ complaint, onDone, onCancel }: Common) {
  const { t } = useI18n();
  const state = useRun(complaint.id, onDone);
  const [lessons, setLessons] = useState("");
  const [actions, setActions] = useState("");
  const missing = lessons.trim() ? [] : [t("complaint.f.lessons")];
  const confirm = () =>
    state.run({
      name: "review",
      args: {
        lessons: lessons.trim(),
        actions: actions
          .split("\n")
          .map((a) => a.trim())
          .filter((a) => a !== ""),
      },
    });
  return (
    <Frame title={t("complaint.action.review")} missing={missing} state={state} onConfirm={confirm} onCancel={onCancel}>
      <label>
        {t("complaint.f.lessons")}
        <textarea
          rows={4}
          value={lessons}
          onChange={(e) => setLessons(e.target.value)}
          aria-invalid={flagged(state.error, "lessons") || undefined}
          data-testid="f-lessons"
        />
      </label>
      <label>
        {t("complaint.f.actions")}
        <textarea rows={4} value={actions} onChange={(e) => setActions(e.target.value)} data-testid="f-actions" />
      </label>
    </Frame>
  );
}

function CloseDialog({ complaint, onDone, onCancel }: Common) {
  const { t } = useI18n();
  const state = useRun(complaint.id, onDone);
  const [note, setNote] = useState("");
  return (
    <Frame
      title={t("complaint.action.close")}
      missing={[]}
      state={state}
      danger
      confirmLabel={t("complaint.action.close")}
      onConfirm={() => state.run({ name: "close", args: { note } })}
      onCancel={onCancel}
    >
      <p className="notice" style={{ background: "var(--warn-bg)", color: "var(--warn)" }}>
        {t("complaint.dialog.close_warning")}
      </p>
      <NoteField value={note} onChange={setNote} error={state.error} />
    </Frame>
  );
}

function ReopenDialog({ complaint, onDone, onCancel }: Common) {
  const { t } = useI18n();
  const state = useRun(complaint.id, onDone);
  const [reason, setReason] = useState("");
  const missing = reason.trim() ? [] : [t("complaint.f.reopen_reason")];
  return (
    <Frame
      title={t("complaint.action.reopen")}
      missing={missing}
      state={state}
      onConfirm={() => state.run({ name: "reopen", args: { reason: reason.trim() } })}
      onCancel={onCancel}
    >
      <p className="muted">{t("complaint.dialog.reopen_hint")}</p>
      <label>
        {t("complaint.f.reopen_reason")}
        <textarea
          rows={3}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          aria-invalid={flagged(state.error, "reason") || undefined}
          data-testid="f-reason"
        />
      </label>
    </Frame>
  );
}

function PauseDialog({ complaint, clock, onDone, onCancel }: Common & { clock: ClockView }) {
  const { t } = useI18n();
  const state = useRun(complaint.id, onDone);
  const [reason, setReason] = useState<PauseReason | "">("");
  const missing = reason ? [] : [t("complaint.f.pause_reason")];
  const confirm = () => {
    if (reason) state.run({ name: "pause_clock", args: { clock_id: clock.clock.id, reason } });
  };
  return (
    <Frame
      title={t("complaint.dialog.pause", { clock: clockName(t, complaint, clock.clock.id) })}
      missing={missing}
      state={state}
      onConfirm={confirm}
      onCancel={onCancel}
    >
      <label>
        {t("complaint.f.pause_reason")}
        <select value={reason} onChange={(e) => setReason(e.target.value as PauseReason | "")} data-testid="f-reason">
          <option value="">{t("complaint.f.choose")}</option>
          {PAUSE_REASONS.map((r) => (
            <option key={r} value={r}>
              {t(`pause.${r}`)}
            </option>
          ))}
        </select>
      </label>
    </Frame>
  );
}

/** The dialog for `open`; `onCancel` must keep its identity between renders. */
export function ActionDialog({ open, ...common }: Common & { open: OpenAction }) {
  switch (open.name) {
    case "judge":
      return <JudgeDialog {...common} />;
    case "assign":
      return <AssignDialog {...common} />;
    case "set_root_cause":
      return <RootCauseDialog {...common} />;
    case "add_progress":
      return <ProgressDialog {...common} />;
    case "propose_remedy":
      return <ProposeRemedyDialog {...common} />;
    case "resolve":
      return <ResolveDialog {...common} />;
    case "record_callback":
      return <CallbackDialog {...common} />;
    case "review":
      return <ReviewDialog {...common} />;
    case "close":
      return <CloseDialog {...common} />;
    case "reopen":
      return <ReopenDialog {...common} />;
    case "revise_remedy":
      return <ReviseDialog {...common} remedy={open.remedy} index={open.index} />;
    case "mark_implemented":
      return <ImplementDialog {...common} remedy={open.remedy} index={open.index} />;
    case "pause_clock":
      return <PauseDialog {...common} clock={open.clock} />;
  }
}
