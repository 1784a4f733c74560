// Settings: who is at the keyboard (until the server signs people in), the
// language, and which reminders become desktop notifications.
import { useEffect, useMemo, useState, type FormEvent } from "react";
import type { AppError } from "../bindings/AppError";
import type { Language } from "../bindings/Language";
import type { NotifyPrefs } from "../bindings/NotifyPrefs";
import type { ReminderKind } from "../bindings/ReminderKind";
import type { Role } from "../bindings/Role";
import type { Settings as SettingsData } from "../bindings/Settings";
import { LanguageOptions } from "../components/Bits";
import { Options } from "../components/Options";
import { ErrorBanner, Notice } from "../components/Status";
import { useI18n, type Key } from "../i18n";
import { Dialog } from "../components/Dialog";
import { api, toAppError } from "../lib/api";
import { settingsChanged } from "../lib/changes";
import { formatDateTime } from "../lib/time";
import { useLoad } from "../lib/useLoad";
import { useShell } from "../lib/context";
import { amountText, parseAmount } from "../lib/money";
import { ServerAccount } from "./ServerAccount";
import { ROLES } from "../lib/roles";

const NOTIFY_KINDS: readonly ReminderKind[] = [
  "progress_due",
  "sla_warning",
  "sla_breach",
  "approval_waiting",
  "callback_due",
];

/** The form as typed: text fields stay text until saved. */
export interface SettingsForm {
  user: string;
  name: string;
  role: Role;
  limit: string;
  language: Language;
  notify: Record<ReminderKind, boolean>;
  summaryOver: string;
}

type FieldErrors = Partial<Record<"user" | "limit" | "summaryOver", Key>>;

export function toForm(s: SettingsData): SettingsForm {
  return {
    user: s.user,
    name: s.display_name,
    role: s.role,
    limit: amountText(s.approval_limit_minor),
    language: s.language,
    notify: {
      progress_due: s.notify.progress_due,
      sla_warning: s.notify.sla_warning,
      sla_breach: s.notify.sla_breach,
      approval_waiting: s.notify.approval_waiting,
      callback_due: s.notify.callback_due,
    },
    summaryOver: String(s.notify.summary_over),
  };
}

/** What is wrong with the form, as message keys per field. */
export function validate(f: SettingsForm): FieldErrors {
  const errors: FieldErrors = {};
  const user = f.user.trim();
  if (user === "") errors.user = "settings.error.user_required";
  else if (/\s/.test(user)) errors.user = "settings.error.user_spaces";
  if (f.limit.trim() !== "" && parseAmount(f.limit) === null) errors.limit = "settings.error.limit";
  const n = Number(f.summaryOver.trim());
  if (f.summaryOver.trim() === "" || !Number.isInteger(n) || n < 1 || n > 50) {
    errors.summaryOver = "settings.error.summary";
  }
  return errors;
}

/** The settings to save; only call with a form that validates. */
export function fromForm(f: SettingsForm): SettingsData {
  const user = f.user.trim();
  const notify: NotifyPrefs = { ...f.notify, summary_over: Number(f.summaryOver.trim()) };
  return {
    user,
    display_name: f.name.trim() || user,
    role: f.role,
    approval_limit_minor: f.limit.trim() === "" ? null : parseAmount(f.limit),
    language: f.language,
    notify,
  };
}

const same = (a: SettingsForm, b: SettingsForm) => JSON.stringify(a) === JSON.stringify(b);

export function Settings() {
  const { t, lang } = useI18n();
  const shell = useShell();
  const saved = useMemo(() => toForm(shell.settings), [shell.settings]);
  const [form, setForm] = useState<SettingsForm>(saved);
  const [attempted, setAttempted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<AppError>();
  const [done, setDone] = useState(false);

  // `base` is what is stored as far as this screen knows: the shell's
  // settings, or what this screen saved last.
  const [base, setBase] = useState(saved);
  const dirty = !same(form, base);

  // Settings changed elsewhere (the Rust side, another screen): show them,
  // unless the user is in the middle of editing.
  useEffect(() => {
    if (same(base, saved)) return;
    if (same(form, base)) setForm(saved);
    setBase(saved);
    // Only when the shell's settings change.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [saved]);

  const identity = useLoad(() => api.identityStatus(), [], settingsChanged);
  const fromServer = identity.data?.from_server ?? false;
  // A change of role is confirmed before it is saved (and then recorded).
  const [confirmRole, setConfirmRole] = useState(false);

  const errors = attempted ? validate(form) : {};

  const update = (patch: Partial<SettingsForm>) => {
    setForm((f) => ({ ...f, ...patch }));
    setDone(false);
  };

  // The language applies at once, without Save, and on its own: whatever
  // else is being edited here stays unsaved.
  const chooseLanguage = async (language: Language) => {
    update({ language });
    setFailure(undefined);
    try {
      await shell.saveSettings({ ...shell.settings, language });
      setBase((b) => ({ ...b, language }));
    } catch (err) {
      setFailure(toAppError(err));
    }
  };

  const submit = async (e: FormEvent | null, roleConfirmed = false) => {
    e?.preventDefault();
    if (busy) return;
    setAttempted(true);
    setDone(false);
    setFailure(undefined);
    if (Object.keys(validate(form)).length > 0) return;
    if (form.role !== base.role && !roleConfirmed) {
      setConfirmRole(true);
      return;
    }
    setConfirmRole(false);
    const next = fromForm(form);
    setBusy(true);
    try {
      await shell.saveSettings(next);
      identity.reload();
      const stored = toForm(next);
      setForm(stored);
      setBase(stored);
      setAttempted(false);
      setDone(true);
    } catch (err) {
      // Keep everything typed; just say what went wrong.
      setFailure(toAppError(err));
    } finally {
      setBusy(false);
    }
  };

  const fieldError = (key: keyof FieldErrors, id: string) =>
    errors[key] ? (
      <span className="field-error" id={id} data-testid={`${id}`} role="alert">
        {t(errors[key])}
      </span>
    ) : null;

  const hasErrors = Object.keys(errors).length > 0;

  return (
    <div style={{ maxWidth: 640 }}>
      <h1>{t("settings.title")}</h1>
      <ServerAccount />
      <form className="form" onSubmit={(e) => void submit(e)} noValidate data-testid="settings-form">
        <section className="panel" style={{ display: "flex", flexDirection: "column", gap: 12 }}>
          <h2 style={{ margin: 0 }}>{t("settings.identity")}</h2>
          <p className="muted" style={{ margin: 0 }}>
            {t("settings.identity_hint")}
          </p>
          <label>
            {t("settings.user")}
            <input
              data-testid="set-user"
              value={form.user}
              autoComplete="off"
              spellCheck={false}
              aria-invalid={errors.user ? true : undefined}
              aria-describedby={errors.user ? "set-user-error" : undefined}
              disabled={fromServer}
              onChange={(e) => update({ user: e.target.value })}
            />
            <span className="muted" style={{ fontSize: 12 }}>
              {t("settings.user_hint")}
            </span>
            {fieldError("user", "set-user-error")}
          </label>
          <label>
            {t("settings.name")}
            <input data-testid="set-name" value={form.name} onChange={(e) => update({ name: e.target.value })} />
            <span className="muted" style={{ fontSize: 12 }}>
              {t("settings.name_hint")}
            </span>
          </label>
          <label>
            {t("settings.role")}
            <select
              data-testid="set-role"
              value={form.role}
              disabled={fromServer}
              onChange={(e) => update({ role: e.target.value as Role })}
            >
              <Options values={ROLES} label={(r) => t(`role.${r}`)} />
            </select>
          </label>
          <label>
            {t("settings.limit")}
            <input
              data-testid="set-limit"
              value={form.limit}
              inputMode="decimal"
              disabled={fromServer}
              aria-invalid={errors.limit ? true : undefined}
              aria-describedby={errors.limit ? "set-limit-error" : undefined}
              onChange={(e) => update({ limit: e.target.value })}
            />
            <span className="muted" style={{ fontSize: 12 }}>
              {t("settings.limit_hint")}
            </span>
            {fieldError("limit", "set-limit-error")}
          </label>
          {fromServer && (
            <p className="muted" data-testid="set-from-server" style={{ margin: 0 }}>
              {t("settings.from_server")}
            </p>
          )}
          {identity.data && identity.data.role_changes.length > 0 && (
            <div data-testid="role-history">
              <strong style={{ fontSize: 13 }}>{t("settings.role_history")}</strong>
              <ul style={{ margin: "4px 0 0", paddingLeft: 18, fontSize: 13 }}>
                {identity.data.role_changes.slice(0, 10).map((c) => (
                  <li key={`${c.at}-${c.to}`}>
                    {t("settings.role_history.entry", {
                      at: formatDateTime(c.at, lang),
                      user: c.user,
                      from: t(`role.${c.from}`),
                      to: t(`role.${c.to}`),
                    })}
                  </li>
                ))}
              </ul>
            </div>
          )}
        </section>


        <section className="panel" style={{ display: "flex", flexDirection: "column", gap: 12 }}>
          <label>
            {t("settings.language")}
            <select
              data-testid="set-language"
              value={form.language}
              onChange={(e) => void chooseLanguage(e.target.value as Language)}
            >
              <LanguageOptions />
            </select>
          </label>
        </section>

        <section className="panel" style={{ display: "flex", flexDirection: "column", gap: 8 }}>
          <h2 style={{ margin: 0 }}>{t("settings.notify")}</h2>
          <p className="muted" style={{ margin: 0 }}>
            {t("settings.notify_hint")}
          </p>
          {NOTIFY_KINDS.map((k) => (
            <label key={k} className="check">
              <input
                type="checkbox"
                data-testid={`set-notify-${k}`}
                checked={form.notify[k]}
                onChange={(e) => update({ notify: { ...form.notify, [k]: e.target.checked } })}
              />
              {t(`reminder.${k}`)}
            </label>
          ))}
          <label style={{ marginTop: 6 }}>
            {t("settings.summary_over")}
            <input
              type="number"
              min={1}
              max={50}
              step={1}
              data-testid="set-summary"
              value={form.summaryOver}
              style={{ width: 100 }}
              aria-invalid={errors.summaryOver ? true : undefined}
              aria-describedby={errors.summaryOver ? "set-summary-error" : undefined}
              onChange={(e) => update({ summaryOver: e.target.value })}
            />
            <span className="muted" style={{ fontSize: 12 }}>
              {t("settings.summary_hint")}
            </span>
            {fieldError("summaryOver", "set-summary-error")}
          </label>
        </section>

        {failure && <ErrorBanner error={failure} />}
        {hasErrors && (
          <div className="field-error" data-testid="set-invalid">
            {t("settings.error.fix")}
          </div>
        )}
        {done && <Notice testId="set-saved">{t("common.saved")}</Notice>}

        <div style={{ display: "flex", gap: 8, alignItems: "center" }}>
          <button type="submit" className="primary" data-testid="set-save" disabled={busy}>
            {busy ? t("common.working") : t("common.save")}
          </button>
          {dirty && (
            <>
              <button
                type="button"
                data-testid="set-discard"
                disabled={busy}
                onClick={() => {
                  setForm(base);
                  setAttempted(false);
                  setFailure(undefined);
                }}
              >
                {t("settings.discard")}
              </button>
              <span className="muted" style={{ fontSize: 12 }}>
                {t("settings.unsaved")}
              </span>
            </>
          )}
        </div>
      </form>
      {/* Outside the settings form: a dialog is a form of its own. */}
        {confirmRole && (
        <Dialog
          title={t("settings.role_change.title")}
          confirmLabel={t("settings.role_change.confirm")}
          danger
          busy={busy}
          onCancel={() => setConfirmRole(false)}
          onConfirm={() => void submit(null, true)}
          testId="role-confirm"
        >
          <p style={{ margin: 0 }}>
            {t("settings.role_change.body", { from: t(`role.${base.role}`), to: t(`role.${form.role}`) })}
          </p>
        </Dialog>
      )}
    </div>
  );
}
