// The first run of a standalone console: before anything else, who is at the
// keyboard (name, user id, role). Asked once; later changes of role go
// through Settings, with a confirmation, and are recorded. The least
// authority, agent, is the default.
import { useState, type FormEvent } from "react";
import type { AppError } from "../bindings/AppError";
import type { Language } from "../bindings/Language";
import type { Role } from "../bindings/Role";
import type { Settings } from "../bindings/Settings";
import { LanguageOptions } from "../components/Bits";
import { Options } from "../components/Options";
import { ErrorBanner } from "../components/Status";
import { I18nProvider, useI18n } from "../i18n";
import { api, toAppError } from "../lib/api";
import { ROLES } from "../lib/roles";


export function WhoAmI({ defaults, onDone }: { defaults: Settings; onDone: (s: Settings) => void }) {
  // The language applies at once here too, before anything is stored.
  const [language, setLanguage] = useState<Language>(defaults.language);
  return (
    <I18nProvider lang={language}>
      <WhoAmIForm defaults={defaults} language={language} onLanguage={setLanguage} onDone={onDone} />
    </I18nProvider>
  );
}

function WhoAmIForm({
  defaults,
  language,
  onLanguage,
  onDone,
}: {
  defaults: Settings;
  language: Language;
  onLanguage: (l: Language) => void;
  onDone: (s: Settings) => void;
}) {
  const { t } = useI18n();
  const [name, setName] = useState("");
  const [user, setUser] = useState("");
  const [role, setRole] = useState<Role>("agent");
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<AppError>();

  const userError =
    user.trim() === "" ? "settings.error.user_required" : /\s/.test(user.trim()) ? "settings.error.user_spaces" : null;
  const nameError = name.trim() === "" ? "settings.whoami.error.name_required" : null;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (userError || nameError || busy) return;
    const s: Settings = {
      ...defaults,
      user: user.trim(),
      display_name: name.trim(),
      role,
      approval_limit_minor: null,
      language,
    };
    setBusy(true);
    setFailure(undefined);
    api.setSettings(s).then(
      () => onDone(s),
      (err: unknown) => {
        setFailure(toAppError(err));
        setBusy(false);
      },
    );
  };

  return (
    <main className="main" style={{ maxWidth: 560, margin: "40px auto" }}>
      <form className="form panel" onSubmit={submit} noValidate data-testid="whoami-form">
        <h1 style={{ marginTop: 0 }}>{t("settings.whoami.title")}</h1>
        <p className="muted" style={{ marginTop: 0 }}>
          {t("settings.whoami.hint")}
        </p>
        <label>
          {t("settings.language")}
          <select data-testid="whoami-language" value={language} onChange={(e) => onLanguage(e.target.value as Language)}>
            <LanguageOptions />
          </select>
        </label>
        <label>
          {t("settings.whoami.name")}
          <input
            data-testid="whoami-name"
            value={name}
            autoFocus
            aria-invalid={tried && nameError ? true : undefined}
            onChange={(e) => setName(e.target.value)}
          />
          {tried && nameError && <span className="field-error">{t(nameError)}</span>}
        </label>
        <label>
          {t("settings.user")}
          <input
            data-testid="whoami-user"
            value={user}
            spellCheck={false}
            aria-invalid={tried && userError ? true : undefined}
            onChange={(e) => setUser(e.target.value)}
          />
          <span className="muted">{t("settings.user_hint")}</span>
          {tried && userError && <span className="field-error">{t(userError)}</span>}
        </label>
        <label>
          {t("settings.role")}
          <select data-testid="whoami-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
            <Options values={ROLES} label={(r) => t(`role.${r}`)} />
          </select>
          <span className="muted">{t("settings.whoami.role_hint")}</span>
        </label>
        {failure && <ErrorBanner error={failure} />}
        <div>
          <button type="submit" className="primary" data-testid="whoami-start" disabled={busy}>
            {t("settings.whoami.start")}
          </button>
        </div>
      </form>
    </main>
  );
}
