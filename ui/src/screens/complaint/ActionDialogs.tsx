// One dialog per closed-loop step. Each keeps what was typed in its own state,
// so a refused command (shown inside the dialog) loses nothing, and asks the
// Rust side to run the command; the complaint screen reloads on success.
import { enumChoices, useNames } from "../../lib/names";
import { useState, type ReactNode } from "react";
import type { CallbackScale } from "../../bindings/CallbackScale";
import type { ClockView } from "../../bindings/ClockView";
import type { Command } from "../../bindings/Command";
import type { InvalidReason } from "../../bindings/InvalidReason";
import type { PauseReason } from "../../bindings/PauseReason";
import type { Remedy } from "../../bindings/Remedy";
import type { RemedyKind } from "../../bindings/RemedyKind";
import type { RootCause } from "../../bindings/RootCause";
import { useI18n } from "../../i18n";
import { api, newId } from "../../lib/api";
import { settingsChanged } from "../../lib/changes";
import { useLoad } from "../../lib/useLoad";
import { Options } from "../../components/Options";
import { callbackCommand, scoreLabel, scoresFor, type CallbackResult } from "../../lib/callbacks";
import { formatMoney, parseAmount } from "../../lib/money";
import { CURRENCY, clockName } from "./labels";
import { INVALID_REASONS, PAUSE_REASONS, REMEDY_KINDS, ROOT_CAUSES } from "./choices";
import {
  ChoiceField,
  CommandDialog,
  NoteField,
  TextField,
  flagged,
  useCommandDialog,
  type Common,
} from "./commandDialog";

const CALLBACK_RESULTS: readonly CallbackResult[] = ["satisfied", "not_satisfied", "unreachable"];
/** Department ids the demo data and the routing rules use; others may be typed. */

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

function JudgeDialog(props: Common) {
  const { t } = useI18n();
  const names = useNames();
  const runner = useCommandDialog(props);
  const [valid, setValid] = useState<"" | "yes" | "no">("");
  const [reason, setReason] = useState<InvalidReason | "">("");
  const [note, setNote] = useState("");
  return (
    <CommandDialog
      runner={runner}
      title={t("complaint.action.judge")}
      missing={[!valid && "complaint.f.valid", valid === "no" && !reason && "complaint.f.invalid_reason"]}
      command={{
        name: "judge",
        args: { valid: valid === "yes", reason: valid === "no" && reason ? reason : null, note },
      }}
    >
      <ChoiceField
        label={t("complaint.f.valid")}
        value={valid}
        values={["yes", "no"] as const}
        optionLabel={(v) => t(v === "yes" ? "complaint.f.valid_yes" : "complaint.f.valid_no")}
        onChange={setValid}
        testId="f-valid"
      />
      {valid === "no" && (
        <ChoiceField
          label={t("complaint.f.invalid_reason")}
          value={reason}
          values={enumChoices(names.catalogs, "invalid_reasons", INVALID_REASONS)}
          optionLabel={names.invalid}
          onChange={setReason}
          invalid={flagged(runner.error, "reason")}
          testId="f-reason"
        />
      )}
      <NoteField value={note} onChange={setNote} error={runner.error} />
    </CommandDialog>
  );
}

function AssignDialog(props: Common) {
  const { t } = useI18n();
  const names = useNames();
  const runner = useCommandDialog(props);
  const { complaint } = props;
  const [department, setDepartment] = useState(complaint.department ?? "");
  const [owner, setOwner] = useState(complaint.owner ?? "");
  // People and departments come from the Rust side; a department is typed
  // only while the site has no department catalog.
  // Read again when who is at the keyboard changes (the current user is offered).
  const { data: team } = useLoad(() => api.team(), [], settingsChanged);
  return (
    <CommandDialog
      runner={runner}
      title={t(complaint.department ? "complaint.action.reassign" : "complaint.action.assign")}
      missing={[!department.trim() && "complaint.f.department"]}
      command={{ name: "assign", args: { department: department.trim(), owner: owner.trim() || null } }}
    >
      {names.catalogs.departments.length > 0 ? (
        <ChoiceField
          label={t("complaint.f.department")}
          value={department}
          values={withCurrent(team?.departments ?? [], complaint.department)}
          optionLabel={names.department}
          onChange={setDepartment}
          invalid={flagged(runner.error, "department")}
          testId="f-department"
        />
      ) : (
        // No department catalog yet: any code, with those already in use offered.
        <label>
          {t("complaint.f.department")}
          <input
            value={department}
            onChange={(e) => setDepartment(e.target.value)}
            list="f-department-known"
            autoComplete="off"
            aria-invalid={flagged(runner.error, "department") || undefined}
            data-testid="f-department"
          />
          <datalist id="f-department-known">
            {(team?.departments ?? []).map((d) => (
              <option key={d} value={d} />
            ))}
          </datalist>
          <span className="muted">{t("complaint.f.department_no_catalog")}</span>
        </label>
      )}
      <label>
        {t("complaint.f.owner")}
        <select
          value={owner}
          onChange={(e) => setOwner(e.target.value)}
          aria-invalid={flagged(runner.error, "owner") || undefined}
          data-testid="f-owner"
        >
          <Options
            values={withCurrent(team?.people ?? [], complaint.owner)}
            label={names.person}
            empty={t("complaint.f.no_owner")}
          />
        </select>
      </label>
    </CommandDialog>
  );
}

/** The choices, with the current value kept even if no list names it. */
function withCurrent(list: readonly string[], current: string | null): string[] {
  return current && !list.includes(current) ? [current, ...list] : [...list];
}

function RootCauseDialog(props: Common) {
  const { t } = useI18n();
  const runner = useCommandDialog(props);
  const { complaint } = props;
  const [categories, setCategories] = useState<RootCause[]>(complaint.root_cause?.categories ?? []);
  const [note, setNote] = useState(complaint.root_cause?.note ?? "");
  const toggle = (r: RootCause, on: boolean) =>
    setCategories((cs) => (on ? ROOT_CAUSES.filter((x) => x === r || cs.includes(x)) : cs.filter((x) => x !== r)));
  return (
    <CommandDialog
      runner={runner}
      title={t(complaint.root_cause ? "complaint.action.update_root_cause" : "complaint.action.set_root_cause")}
      missing={[categories.length === 0 && "complaint.f.categories"]}
      command={{ name: "set_root_cause", args: { categories, note } }}
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
      <NoteField value={note} onChange={setNote} error={runner.error} />
    </CommandDialog>
  );
}

function ProgressDialog(props: Common) {
  const { t } = useI18n();
  const runner = useCommandDialog(props);
  // One id per dialog: a retry after a lost answer cannot post the update twice.
  const [updateId] = useState(newId);
  const [text, setText] = useState("");
  const [informed, setInformed] = useState(true);
  return (
    <CommandDialog
      runner={runner}
      title={t("complaint.action.add_progress")}
      missing={[!text.trim() && "complaint.f.text"]}
      command={{ name: "add_progress", args: { update_id: updateId, text: text.trim(), customer_informed: informed } }}
    >
      <TextField
        label={t("complaint.f.text")}
        rows={4}
        value={text}
        onChange={setText}
        invalid={flagged(runner.error, "text")}
        testId="f-text"
      />
      <label className="check">
        <input
          type="checkbox"
          checked={informed}
          onChange={(e) => setInformed(e.target.checked)}
          data-testid="f-informed"
        />
        {t("complaint.f.informed")}
      </label>
    </CommandDialog>
  );
}

/** An amount field's state: empty, not an amount, or minor units. */
function amountOf(text: string): { empty: boolean; minor: number | null } {
  return { empty: text.trim() === "", minor: parseAmount(text) };
}

function ProposeRemedyDialog(props: Common) {
  const { t, lang } = useI18n();
  const names = useNames();
  const runner = useCommandDialog(props);
  // Fixed when the dialog opens, so a retry cannot propose the remedy twice.
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
  const total = (base.minor ?? 0) + (tiered ? (ex.minor ?? 0) : 0);
  const command: Command | null =
    kind && base.minor !== null
      ? {
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
        }
      : null;
  return (
    <CommandDialog
      runner={runner}
      title={t("complaint.action.propose_remedy")}
      missing={[
        !kind && "complaint.f.remedy_kind",
        base.minor === null && "complaint.f.amount",
        tiered && (ex.minor === null || ex.minor <= 0) && "complaint.f.tier_extra",
        tiered && !extraKind && "complaint.f.tier_kind",
        tiered && !condition.trim() && "complaint.f.tier_condition",
      ]}
      command={command}
    >
      <ChoiceField
        label={t("complaint.f.remedy_kind")}
        value={kind}
        values={enumChoices(names.catalogs, "remedy_kinds", REMEDY_KINDS)}
        optionLabel={names.remedy}
        onChange={setKind}
        invalid={flagged(runner.error, "kind")}
        testId="f-kind"
      />
      <label>
        {t("complaint.f.amount")}
        <input
          inputMode="decimal"
          value={apology ? "0" : amount}
          disabled={apology}
          onChange={(e) => setAmount(e.target.value)}
          aria-invalid={(!base.empty && base.minor === null) || flagged(runner.error, "amount") || undefined}
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
              aria-invalid={extraBad || flagged(runner.error, "tier.extra_minor") || undefined}
              data-testid="f-tier-extra"
            />
            {extraBad && <span className="field-error">{t("complaint.f.tier_extra_invalid")}</span>}
          </label>
          <ChoiceField
            label={t("complaint.f.tier_kind")}
            value={extraKind}
            values={enumChoices(names.catalogs, "remedy_kinds", REMEDY_KINDS).filter((k) => k !== "apology_only")}
            optionLabel={names.remedy}
            onChange={setExtraKind}
            invalid={flagged(runner.error, "tier.extra_kind")}
            testId="f-tier-kind"
          />
          <TextField
            label={t("complaint.f.tier_condition")}
            value={condition}
            onChange={setCondition}
            invalid={flagged(runner.error, "tier.condition")}
            testId="f-tier-condition"
          />
        </>
      )}
      <NoteField value={note} onChange={setNote} error={runner.error} />
      {base.minor !== null && (
        <p className="muted" data-testid="f-total">
          {t("complaint.f.total", { amount: formatMoney({ amount_minor: total, currency: CURRENCY }, lang) })}
        </p>
      )}
    </CommandDialog>
  );
}

function ReviseDialog({ remedy, index, ...props }: Common & { remedy: Remedy; index: number }) {
  const { t, lang } = useI18n();
  const names = useNames();
  const runner = useCommandDialog(props);
  const [amount, setAmount] = useState((remedy.amount.amount_minor / 100).toFixed(2));
  const [note, setNote] = useState("");
  const a = amountOf(amount);
  return (
    <CommandDialog
      runner={runner}
      title={t("complaint.dialog.revise", { n: index + 1, kind: names.remedy(remedy.kind) })}
      missing={[a.minor === null && "complaint.f.new_amount"]}
      command={
        a.minor === null
          ? null
          : {
              name: "revise_remedy",
              args: { remedy_id: remedy.id, expected_revision: remedy.revision, amount_minor: a.minor, note },
            }
      }
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
          aria-invalid={(!a.empty && a.minor === null) || flagged(runner.error, "amount") || undefined}
          data-testid="f-amount"
        />
        {!a.empty && a.minor === null && <span className="field-error">{t("complaint.f.amount_invalid")}</span>}
      </label>
      <NoteField value={note} onChange={setNote} error={runner.error} />
    </CommandDialog>
  );
}

/** A step whose only input is an optional note. */
function NoteStepDialog({
  title,
  toCommand,
  danger,
  confirmLabel,
  children,
  ...props
}: Common & {
  title: string;
  toCommand: (note: string) => Command;
  danger?: boolean;
  confirmLabel?: string;
  /** What to tell the user above the note. */
  children?: ReactNode;
}) {
  const runner = useCommandDialog(props);
  const [note, setNote] = useState("");
  return (
    <CommandDialog runner={runner} title={title} danger={danger} confirmLabel={confirmLabel} command={toCommand(note)}>
      {children}
      <NoteField value={note} onChange={setNote} error={runner.error} />
    </CommandDialog>
  );
}

function ImplementDialog({ remedy, index, ...props }: Common & { remedy: Remedy; index: number }) {
  const { t } = useI18n();
  const names = useNames();
  return (
    <NoteStepDialog
      {...props}
      title={t("complaint.dialog.implement", { n: index + 1, kind: names.remedy(remedy.kind) })}
      toCommand={(note) => ({ name: "mark_implemented", args: { remedy_id: remedy.id, note } })}
    />
  );
}

function ResolveDialog(props: Common) {
  const { t } = useI18n();
  return (
    <NoteStepDialog
      {...props}
      title={t("complaint.action.resolve")}
      toCommand={(note) => ({ name: "resolve", args: { note } })}
    >
      <p className="muted">{t("complaint.dialog.resolve_hint")}</p>
    </NoteStepDialog>
  );
}

function CloseDialog(props: Common) {
  const { t } = useI18n();
  return (
    <NoteStepDialog
      {...props}
      title={t("complaint.action.close")}
      danger
      confirmLabel={t("complaint.action.close")}
      toCommand={(note) => ({ name: "close", args: { note } })}
    >
      <p className="notice" style={{ background: "var(--warn-bg)", color: "var(--warn)" }}>
        {t("complaint.dialog.close_warning")}
      </p>
    </NoteStepDialog>
  );
}

function CallbackDialog({ scale, ...props }: Common & { scale: CallbackScale }) {
  const { t } = useI18n();
  const runner = useCommandDialog(props);
  // Fixed when the dialog opens, so a retry cannot record the call twice.
  const [attemptId] = useState(newId);
  const [outcome, setOutcome] = useState<CallbackResult | "">("");
  const [score, setScore] = useState("");
  const [note, setNote] = useState("");
  const scores = scoresFor(scale, outcome).map(String);
  // A score from the other outcome's range does not count.
  const chosen = scores.includes(score) ? Number(score) : null;
  const unhappy = outcome === "not_satisfied";
  return (
    <CommandDialog
      runner={runner}
      title={t("complaint.action.record_callback")}
      missing={[
        !outcome && "complaint.f.outcome",
        outcome !== "" && outcome !== "unreachable" && chosen === null && "complaint.f.score",
        unhappy && !note.trim() && "complaint.f.unhappy_reason",
      ]}
      command={outcome ? callbackCommand(attemptId, outcome, note, chosen) : null}
    >
      <ChoiceField
        label={t("complaint.f.outcome")}
        value={outcome}
        values={CALLBACK_RESULTS}
        optionLabel={(o) => t(`callback_outcome.${o}`)}
        onChange={setOutcome}
        testId="f-outcome"
      />
      {scores.length > 0 && (
        <ChoiceField
          label={t("complaint.f.score")}
          value={chosen === null ? "" : score}
          values={scores}
          optionLabel={(s) => scoreLabel(t, s)}
          onChange={setScore}
          invalid={flagged(runner.error, "score")}
          testId="f-score"
        />
      )}
      {unhappy ? (
        <TextField
          label={t("complaint.f.unhappy_reason")}
          rows={2}
          value={note}
          onChange={setNote}
          invalid={flagged(runner.error, "note")}
          testId="f-note"
        />
      ) : (
        <NoteField value={note} onChange={setNote} error={runner.error} />
      )}
    </CommandDialog>
  );
}

function ReviewDialog(props: Common) {
  const { t } = useI18n();
  const runner = useCommandDialog(props);
  const [lessons, setLessons] = useState("");
  const [actions, setActions] = useState("");
  return (
    <CommandDialog
      runner={runner}
      title={t("complaint.action.review")}
      missing={[!lessons.trim() && "complaint.f.lessons"]}
      command={{
        name: "review",
        args: {
          lessons: lessons.trim(),
          actions: actions
            .split("\n")
            .map((a) => a.trim())
            .filter((a) => a !== ""),
        },
      }}
    >
      <TextField
        label={t("complaint.f.lessons")}
        rows={4}
        value={lessons}
        onChange={setLessons}
        invalid={flagged(runner.error, "lessons")}
        testId="f-lessons"
      />
      <TextField label={t("complaint.f.actions")} rows={4} value={actions} onChange={setActions} testId="f-actions" />
    </CommandDialog>
  );
}

function ReopenDialog(props: Common) {
  const { t } = useI18n();
  const runner = useCommandDialog(props);
  const [reason, setReason] = useState("");
  return (
    <CommandDialog
      runner={runner}
      title={t("complaint.action.reopen")}
      missing={[!reason.trim() && "complaint.f.reopen_reason"]}
      command={{ name: "reopen", args: { reason: reason.trim() } }}
    >
      <p className="muted">{t("complaint.dialog.reopen_hint")}</p>
      <TextField
        label={t("complaint.f.reopen_reason")}
        rows={3}
        value={reason}
        onChange={setReason}
        invalid={flagged(runner.error, "reason")}
        testId="f-reason"
      />
    </CommandDialog>
  );
}

function PauseDialog({ clock, ...props }: Common & { clock: ClockView }) {
  const { t } = useI18n();
  const runner = useCommandDialog(props);
  const [reason, setReason] = useState<PauseReason | "">("");
  const [note, setNote] = useState("");
  // Which reasons need a note is Rust's rule (ClockView.pause_note_required).
  const breached = clock.status.status === "breached";
  const needsNote = reason !== "" && clock.pause_note_required.includes(reason);
  return (
    <CommandDialog
      runner={runner}
      title={t("complaint.dialog.pause", { clock: clockName(t, props.complaint, clock.clock.id) })}
      missing={[!reason && "complaint.f.pause_reason", needsNote && !note.trim() && "complaint.f.pause_note"]}
      command={reason ? { name: "pause_clock", args: { clock_id: clock.clock.id, reason, note: note.trim() } } : null}
    >
      {breached && (
        <p className="error" data-testid="pause-breached">
          {t("complaint.dialog.pause_breached")}
        </p>
      )}
      <ChoiceField
        label={t("complaint.f.pause_reason")}
        value={reason}
        values={PAUSE_REASONS}
        optionLabel={(r) => t(`pause.${r}`)}
        onChange={setReason}
        testId="f-reason"
      />
      <TextField
        label={t("complaint.f.pause_note")}
        rows={2}
        value={note}
        onChange={setNote}
        invalid={flagged(runner.error, "note")}
        testId="f-note"
      />
      {needsNote && !breached && <p className="muted">{t("complaint.dialog.pause_note_needed")}</p>}
    </CommandDialog>
  );
}

/** The dialog for `open`; `onCancel` must keep its identity between renders. */
export function ActionDialog({
  open,
  callbackScale,
  ...common
}: Common & { open: OpenAction; callbackScale: CallbackScale }) {
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
      return <CallbackDialog {...common} scale={callbackScale} />;
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
