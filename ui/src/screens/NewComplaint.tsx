// Recording a complaint. The form checks what it can before calling Rust and
// shows every problem next to its field; the Rust side's own field errors are
// shown the same way. Nothing typed is lost when recording fails.
import { entryName, enumChoices, useNames } from "../lib/names";
import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from "react";
import type { AppError } from "../bindings/AppError";
import { Options } from "../components/Options";
import { ErrorBanner } from "../components/Status";
import { useI18n } from "../i18n";
import { api, toAppError } from "../lib/api";
import { useShell } from "../lib/context";
import { formatDateTime, nowMs } from "../lib/time";
import { useIntakeLookup, type IntakeState } from "../lib/useIntakeLookup";
import {
  CHANNELS,
  DEMAND_CLASSES,
  EMPTY_FORM,
  isoToLocalInput,
  KINDS,
  mapServerFields,
  SUBJECT_KINDS,
  validateNewComplaint,
  type FormErrors,
  type FormField,
  type NewComplaintForm,
} from "./complaint/newComplaintForm";

const grid = { display: "grid", gridTemplateColumns: "repeat(auto-fit, minmax(240px, 1fr))", gap: "10px 16px" };

export function NewComplaint() {
  const { t, lang } = useI18n();
  const names = useNames();
  // The site's categories that may be picked now, by group; an empty
  // catalog takes any code.
  const pickable = names.catalogs.categories
    .filter((g) => g.enabled)
    .map((g) => ({ ...g, categories: g.categories.filter((c) => c.enabled) }))
    .filter((g) => g.categories.length > 0);
  const { go } = useShell();
  const [form, setForm] = useState<NewComplaintForm>(EMPTY_FORM);
  const [tried, setTried] = useState(false);
  const [serverErrors, setServerErrors] = useState<FormErrors>({});
  const [failure, setFailure] = useState<AppError>();
  const [busy, setBusy] = useState(false);
  const [focusTick, setFocusTick] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);
  const intake = useIntakeLookup(form.phone, form.customerId);
  // The Rust side said "not a number" for exactly what is typed now.
  const phoneInvalid = intake !== undefined && intake.phone === form.phone.trim() && intake.result.phone === null;

  // Once the user tried to submit, the checks follow what they type.
  const clientErrors = tried ? validateNewComplaint(form, nowMs(), phoneInvalid).errors : {};
  const errorOf = (f: FormField) => clientErrors[f] ?? serverErrors[f];
  const hasErrors = Object.keys(clientErrors).length > 0 || Object.keys(serverErrors).length > 0;

  useEffect(() => {
    if (focusTick > 0) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [focusTick]);

  const set = <K extends keyof NewComplaintForm>(key: K, field: FormField) => (value: NewComplaintForm[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    setServerErrors((e) => {
      if (!(field in e)) return e;
      const next = { ...e };
      delete next[field];
      return next;
    });
  };

  const submit = () => {
    if (busy) return;
    setTried(true);
    const { input } = validateNewComplaint(form, nowMs(), phoneInvalid);
    if (!input) {
      setFocusTick((n) => n + 1);
      return;
    }
    setBusy(true);
    setFailure(undefined);
    setServerErrors({});
    api.recordComplaint(input).then(
      (id) => go({ screen: "complaint", id }),
      (e: unknown) => {
        const err = toAppError(e);
        const { errors, rest } = mapServerFields(err.fields ?? [], err.code);
        setServerErrors(errors);
        setFailure({ ...err, fields: rest });
        setBusy(false);
        setFocusTick((n) => n + 1);
      },
    );
  };

  const onKeyDown = (e: KeyboardEvent<HTMLFormElement>) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      submit();
    }
  };

  /** What the lookup says about the phone typed: its line type and form, or that it is not one. */
  function phoneHint(state: IntakeState | undefined, typed: string, hasError: boolean): string | undefined {
    if (!state || state.phone !== typed.trim() || hasError) return undefined;
    const p = state.result.phone;
    if (p === null) return t("newComplaint.phone_not_valid");
    return t("newComplaint.phone_ok", { kind: t(`phone_kind.${p.kind}`), number: p.display });
  }

  /** aria and test attributes shared by every input. */
  const attrs = (f: FormField) => ({
    id: `nc-${f}`,
    "data-testid": `nc-${f}`,
    "aria-invalid": errorOf(f) ? true : undefined,
    "aria-describedby": errorOf(f) ? `nc-error-${f}` : undefined,
  });

  const field = (f: FormField, label: string, control: ReactNode, hint?: string) => {
    const err = errorOf(f);
    return (
      <label htmlFor={`nc-${f}`}>
        {label}
        {control}
        {hint && (
          <span className="muted" data-testid={`nc-hint-${f}`}>
            {hint}
          </span>
        )}
        {err && (
          <span className="field-error" id={`nc-error-${f}`} data-testid={`nc-error-${f}`}>
            {t(err)}
          </span>
        )}
      </label>
    );
  };

  return (
    <form
      className="form"
      ref={formRef}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
      onKeyDown={onKeyDown}
      data-testid="new-complaint"
    >
      <h1>{t("newComplaint.title")}</h1>
      {tried && hasErrors && !failure && (
        <p className="error" role="alert" data-testid="nc-fix">
          {t("newComplaint.fix_errors")}
        </p>
      )}
      {failure && <ErrorBanner error={failure} />}

      <fieldset className="panel" disabled={busy}>
        <legend>{t("newComplaint.section.customer")}</legend>
        <div style={grid}>
          {field(
            "name",
            t("newComplaint.name"),
            <input value={form.name} onChange={(e) => set("name", "name")(e.target.value)} autoComplete="off" {...attrs("name")} />,
          )}
          {field(
            "phone",
            t("newComplaint.phone"),
            <input
              type="tel"
              value={form.phone}
              onChange={(e) => set("phone", "phone")(e.target.value)}
              autoComplete="off"
              {...attrs("phone")}
            />,
            phoneHint(intake, form.phone, !!errorOf("phone")),
          )}
          {field(
            "customer-id",
            t("newComplaint.customer_id"),
            <input
              value={form.customerId}
              onChange={(e) => set("customerId", "customer-id")(e.target.value)}
              autoComplete="off"
              {...attrs("customer-id")}
            />,
          )}
          {field(
            "channel",
            t("newComplaint.channel"),
            <select
              value={form.channel}
              onChange={(e) => set("channel", "channel")(e.target.value as NewComplaintForm["channel"])}
              {...attrs("channel")}
            >
              <Options values={enumChoices(names.catalogs, "channels", CHANNELS)} label={names.channel} />
            </select>,
          )}
        </div>
        {intake && intake.result.complaints.length > 0 && <CustomerHistory intake={intake} />}
      </fieldset>

      <fieldset className="panel" disabled={busy}>
        <legend>{t("newComplaint.section.complaint")}</legend>
        <div style={grid}>
          {field(
            "subject-kind",
            t("newComplaint.subject_kind"),
            <select
              value={form.subjectKind}
              onChange={(e) => set("subjectKind", "subject-kind")(e.target.value as NewComplaintForm["subjectKind"])}
              {...attrs("subject-kind")}
            >
              <Options values={SUBJECT_KINDS} label={(k) => t(`subject.${k}`)} />
            </select>,
          )}
          {field(
            "subject-ref",
            t(`newComplaint.subject_ref.${form.subjectKind}`),
            <input
              value={form.subjectRef}
              onChange={(e) => set("subjectRef", "subject-ref")(e.target.value)}
              autoComplete="off"
              {...attrs("subject-ref")}
            />,
          )}
          {field(
            "category",
            t("newComplaint.category"),
            pickable.length > 0 ? (
              <select
                value={form.category}
                onChange={(e) => set("category", "category")(e.target.value)}
                {...attrs("category")}
              >
                <option value="">{t("complaint.f.choose")}</option>
                {pickable.map((g) => (
                  <optgroup key={g.code} label={entryName(g, lang)}>
                    {g.categories.map((c) => (
                      <option key={c.code} value={c.code}>
                        {entryName(c, lang)}
                      </option>
                    ))}
                  </optgroup>
                ))}
              </select>
            ) : (
              <input
                value={form.category}
                onChange={(e) => set("category", "category")(e.target.value)}
                autoComplete="off"
                placeholder="billing.fee"
                {...attrs("category")}
              />
            ),
            t(pickable.length > 0 ? "newComplaint.category_pick_hint" : "newComplaint.category_hint"),
          )}
          {field(
            "received-at",
            t("newComplaint.received_at"),
            <input
              type="datetime-local"
              value={form.receivedAt}
              max={isoToLocalInput(nowMs())}
              onChange={(e) => set("receivedAt", "received-at")(e.target.value)}
              {...attrs("received-at")}
            />,
            t("newComplaint.received_at_hint"),
          )}
        </div>
        <div style={{ ...grid, gridTemplateColumns: "1fr", marginTop: 10 }}>
          {field(
            "demand",
            t("newComplaint.demand"),
            <textarea rows={2} value={form.demand} onChange={(e) => set("demand", "demand")(e.target.value)} {...attrs("demand")} />,
          )}
          {field(
            "description",
            t("newComplaint.description"),
            <textarea
              rows={5}
              value={form.description}
              onChange={(e) => set("description", "description")(e.target.value)}
              {...attrs("description")}
            />,
          )}
        </div>
      </fieldset>

      <fieldset className="panel" disabled={busy}>
        <legend>{t("newComplaint.section.classification")}</legend>
        <div style={grid}>
          {field(
            "kind",
            t("newComplaint.kind"),
            <select
              value={form.kind}
              onChange={(e) => set("kind", "kind")(e.target.value as NewComplaintForm["kind"])}
              {...attrs("kind")}
            >
              <Options values={KINDS} label={(k) => t(`kind.${k}`)} />
            </select>,
          )}
          {field(
            "demand-class",
            t("newComplaint.demand_class"),
            <select
              value={form.demandClass}
              onChange={(e) => set("demandClass", "demand-class")(e.target.value as NewComplaintForm["demandClass"])}
              {...attrs("demand-class")}
            >
              <Options values={DEMAND_CLASSES} label={(d) => t(`demand_class.${d}`)} />
            </select>,
          )}
          {field(
            "severity",
            t("newComplaint.severity"),
            <select
              value={String(form.severity)}
              onChange={(e) => set("severity", "severity")(Number(e.target.value))}
              {...attrs("severity")}
            >
              <Options
                values={[1, 2, 3, 4] as const}
                label={(n) => t("newComplaint.severity_option", { level: n, label: t(`severity.${n}`) })}
              />
            </select>,
          )}
        </div>
        <label className="check" style={{ marginTop: 10 }}>
          <input
            type="checkbox"
            checked={form.publicExposure}
            onChange={(e) => set("publicExposure", "public")(e.target.checked)}
            data-testid="nc-public"
            id="nc-public"
          />
          {t("newComplaint.public")}
        </label>
      </fieldset>

      <div className="row-actions" style={{ alignItems: "center" }}>
        <button type="submit" className="primary" disabled={busy} data-testid="nc-submit">
          {busy ? t("common.working") : t("newComplaint.submit")}
        </button>
        <span className="muted">{t("newComplaint.submit_hint")}</span>
      </div>
    </form>
  );
}

/** The customer's open and recent complaints, so a repeat is seen before it is saved. */
function CustomerHistory({ intake }: { intake: IntakeState }) {
  const { t, lang } = useI18n();
  const names = useNames();
  const list = intake.result.complaints;
  const open = list.filter((c) => c.open).length;
  return (
    <div data-testid="intake-history" style={{ marginTop: 10 }}>
      <strong>{t("newComplaint.history.title", { days: intake.result.window_days })}</strong>
      {open > 0 && (
        <p className="field-error" style={{ margin: "4px 0" }} data-testid="intake-open-warning">
          {t("newComplaint.history.open_warning", { n: open })}
        </p>
      )}
      <table className="table" style={{ marginTop: 4 }}>
        <tbody>
          {list.map((c) => (
            <tr key={c.id} data-testid="intake-complaint" data-number={c.number} data-open={c.open}>
              <td style={{ whiteSpace: "nowrap" }}>
                <code>{c.number}</code>
              </td>
              <td>
                <span className={`tag${c.open ? " warn" : ""}`}>{t(`state.${c.state}`)}</span>
              </td>
              <td className="muted" style={{ whiteSpace: "nowrap" }}>
                {formatDateTime(c.received_at, lang)}
              </td>
              <td className="muted">{names.category(c.category)}</td>
              <td className="clamp-2" title={c.demand}>
                {c.demand}
              </td>
              <td className="muted" style={{ fontSize: 12 }}>
                {t(c.by_customer_id ? "newComplaint.history.by_id" : "newComplaint.history.by_phone")}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
