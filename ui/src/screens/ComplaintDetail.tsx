// One complaint: its facts, clocks, remedies, callback and full timeline, and
// the closed-loop steps the current state and role allow, each in a dialog.
import { useCallback, useEffect, useState } from "react";
import type { AppError } from "../bindings/AppError";
import type { ClockView } from "../bindings/ClockView";
import type { Complaint } from "../bindings/Complaint";
import type { StepOffer } from "../bindings/StepOffer";
import { Panel } from "../components/Panel";
import { EmptyState, ErrorBanner, Loading } from "../components/Status";
import { errorMessage, useI18n, type Key } from "../i18n";
import { api, toAppError } from "../lib/api";
import { complaintChanged } from "../lib/changes";
import { complaintSteps, type ComplaintStep } from "../lib/steps";
import { useShell } from "../lib/context";
import { syncClock } from "../lib/time";
import { useLoad } from "../lib/useLoad";
import { ActionDialog, type OpenAction } from "./complaint/ActionDialogs";
import {
  Approvals,
  CallbackRound,
  Clocks,
  Facts,
  Handling,
  Linked,
  Progress,
  Remedies,
} from "./complaint/Sections";
import { Timeline } from "./complaint/Timeline";

const STEP_TEST_ID: Record<ComplaintStep, string> = {
  judge: "action-judge",
  assign: "action-assign",
  set_root_cause: "action-root-cause",
  propose_remedy: "action-propose-remedy",
  resolve: "action-resolve",
  record_callback: "action-callback",
  review: "action-review",
  close: "action-close",
  reopen: "action-reopen",
  add_progress: "action-progress",
};

function stepLabel(step: ComplaintStep, c: Complaint): Key {
  switch (step) {
    case "assign":
      return c.department ? "complaint.action.reassign" : "complaint.action.assign";
    case "set_root_cause":
      return c.root_cause ? "complaint.action.update_root_cause" : "complaint.action.set_root_cause";
    default:
      return `complaint.action.${step}`;
  }
}

function Actions({
  complaint,
  steps,
  onOpen,
}: {
  complaint: Complaint;
  steps: readonly StepOffer[];
  onOpen: (a: OpenAction) => void;
}) {
  const { t } = useI18n();
  const offers = complaintSteps(steps);
  const allowed = offers.filter((o) => o.allowed);
  const refused = offers.filter((o) => !o.allowed);
  return (
    <Panel id="actions" title={t("complaint.section.actions")}>
      {allowed.length === 0 ? (
        <p className="muted">{t("complaint.no_actions")}</p>
      ) : (
        <div className="row-actions" data-testid="actions">
          {allowed.map(({ step, main }) => (
            <button
              key={step}
              type="button"
              className={main ? "primary" : undefined}
              onClick={() => onOpen({ name: step })}
              data-testid={STEP_TEST_ID[step]}
            >
              {t(stepLabel(step, complaint))}
            </button>
          ))}
        </div>
      )}
      {refused.map(({ step, needs_role, refusal }) => {
        const action = t(stepLabel(step, complaint));
        return (
          <p key={step} className="muted" data-testid={`needs-role-${step}`}>
            {needs_role
              ? t("complaint.needs_role", { action, role: t(`role.${needs_role}`) })
              : t("complaint.step_refused", { action, reason: errorMessage(t, refusal ?? "unknown") })}
          </p>
        );
      })}
    </Panel>
  );
}

export function ComplaintDetail({ id }: { id: string }) {
  const { t } = useI18n();
  const { go } = useShell();
  const { data, error, loading, reload } = useLoad(() => api.complaint(id), [id], complaintChanged(id));
  const [open, setOpen] = useState<OpenAction | null>(null);
  const [resuming, setResuming] = useState<string>();
  const [clockError, setClockError] = useState<AppError>();

  useEffect(() => {
    if (data) syncClock(data.now);
  }, [data]);

  // Stable identities: the dialog refocuses its first field when they change.
  const cancel = useCallback(() => setOpen(null), []);
  const done = useCallback(() => {
    setOpen(null);
    reload();
  }, [reload]);

  const resume = (v: ClockView) => {
    setResuming(v.clock.id);
    setClockError(undefined);
    api.execute(id, { name: "resume_clock", args: { clock_id: v.clock.id } }).then(
      () => {
        setResuming(undefined);
        reload();
      },
      (e: unknown) => {
        setResuming(undefined);
        setClockError(toAppError(e));
      },
    );
  };

  // Esc goes back, unless a dialog is open (Esc closes the dialog then) or
  // the key is for a field being edited.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Escape" || e.defaultPrevented) return;
      const el = e.target as HTMLElement | null;
      if (el && ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName)) return;
      if (document.querySelector("[role=dialog]")) return;
      go({ screen: "dashboard" });
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [go]);

  const back = (
    <button type="button" onClick={() => go({ screen: "dashboard" })} data-testid="detail-back">
      ← {t("complaint.back")}
    </button>
  );

  if (!data) {
    if (loading) return <Loading />;
    if (error?.code === "not_found") {
      return (
        <div data-testid="detail-not-found">
          <div>{back}</div>
          <EmptyState title={t("complaint.not_found")} hint={t("complaint.not_found_hint")} />
        </div>
      );
    }
    return (
      <div>
        <div>{back}</div>
        {error && <ErrorBanner error={error} onRetry={reload} />}
      </div>
    );
  }

  const c = data.complaint;
  return (
    <div data-testid="complaint-detail">
      <div style={{ marginBottom: 10 }}>{back}</div>
      {error && <ErrorBanner error={error} onRetry={reload} />}
      <Facts complaint={c} pending={data.pending} phoneDisplay={data.phone_display} />
      <Actions complaint={c} steps={data.steps} onOpen={setOpen} />
      <Clocks
        complaint={c}
        steps={data.steps}
        clocks={data.clocks}
        onPause={(clock) => setOpen({ name: "pause_clock", clock })}
        onResume={resume}
        resuming={resuming}
        error={clockError && <ErrorBanner error={clockError} />}
      />
      <Handling complaint={c} />
      <Remedies
        complaint={c}
        steps={data.steps}
        onRevise={(remedy, index) => setOpen({ name: "revise_remedy", remedy, index })}
        onImplement={(remedy, index) => setOpen({ name: "mark_implemented", remedy, index })}
      />
      <Approvals complaint={c} />
      <Progress complaint={c} />
      <CallbackRound complaint={c} clocks={data.clocks} />
      <Linked linked={data.linked} onOpen={(other) => go({ screen: "complaint", id: other })} />
      <Timeline complaint={c} />
      {open && (
        <ActionDialog
          open={open}
          complaint={c}
          callbackScale={data.callback_scale}
          onDone={done}
          onCancel={cancel}
        />
      )}
    </div>
  );
}
