// Sign-in to the shared server: address, user name, password, optionally a
// trusted certificate file (a private CA) and, with a warning, permission
// for unencrypted http:// to another machine. Enter submits
// (it is a form); while the server is asked the button says so and nothing
// can be sent twice; a refusal shows its translated message and stable code.
import { useEffect, useRef, useState, type FormEvent } from "react";
import type { AppError } from "../bindings/AppError";
import { Dialog } from "../components/Dialog";
import { ErrorBanner } from "../components/Status";
import { errorMessage, useI18n } from "../i18n";
import { api, toAppError } from "../lib/api";
import { useShell } from "../lib/context";
import { publishSyncStatus, useSyncOverview } from "../lib/sync";

export function SignIn() {
  const { t } = useI18n();
  const { go } = useShell();
  const { overview } = useSyncOverview();
  const [url, setUrl] = useState("");
  const [user, setUser] = useState("");
  const [password, setPassword] = useState("");
  const [caFile, setCaFile] = useState("");
  const [insecureHttp, setInsecureHttp] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<AppError>();
  const [missing, setMissing] = useState(false);
  const prefilled = useRef(false);
  const first = useRef<HTMLInputElement>(null);

  // A linked console signs in to its own server again: fill it in once.
  useEffect(() => {
    if (prefilled.current || !overview) return;
    prefilled.current = true;
    if (overview.server_url) setUrl(overview.server_url);
    if (overview.user) setUser(overview.user);
  }, [overview]);

  useEffect(() => first.current?.focus(), []);

  // A console with standalone history: archive it whole, then sign in again.
  const [archiving, setArchiving] = useState(false);
  const [archived, setArchived] = useState<string>();
  const archive = async () => {
    setBusy(true);
    try {
      const path = await api.archiveStandaloneHistory();
      setArchived(path);
      setFailure(undefined);
      setArchiving(false);
    } catch (err) {
      setFailure(toAppError(err));
      setArchiving(false);
    } finally {
      setBusy(false);
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setFailure(undefined);
    if (url.trim() === "" || user.trim() === "" || password === "") {
      setMissing(true);
      return;
    }
    setMissing(false);
    setBusy(true);
    try {
      const o = await api.signIn(url.trim(), user.trim(), password, {
        caFile: caFile.trim() === "" ? null : caFile.trim(),
        insecureHttp,
      });
      setPassword("");
      publishSyncStatus(o);
      go({ screen: "dashboard" });
    } catch (err) {
      setFailure(toAppError(err));
      setPassword("");
    } finally {
      setBusy(false);
    }
  };

  const expired = overview?.status.state === "needs_sign_in" ? overview.status.code : undefined;

  return (
    <div style={{ maxWidth: 480 }}>
      <h1>{t("sync.signin.title")}</h1>
      <p className="muted">{t("sync.signin.hint")}</p>
      {expired && (
        <div className="error" role="alert" data-testid="signin-expired">
          {t("sync.signin.expired", { code: expired })}
          {expired !== "unauthorized" && (
            <div data-testid="signin-expired-why">{errorMessage(t, expired)}</div>
          )}
        </div>
      )}
      <form
        className="form panel"
        onSubmit={(e) => void submit(e)}
        noValidate
        aria-busy={busy}
        data-testid="signin-form"
        style={{ display: "flex", flexDirection: "column", gap: 12 }}
      >
        <label>
          {t("sync.signin.url")}
          <input
            ref={first}
            data-testid="signin-url"
            value={url}
            autoComplete="url"
            spellCheck={false}
            placeholder="https://"
            disabled={busy}
            onChange={(e) => setUrl(e.target.value)}
          />
          <span className="muted" style={{ fontSize: 12 }}>
            {t("sync.signin.url_hint")}
          </span>
        </label>
        <label>
          {t("sync.signin.user")}
          <input
            data-testid="signin-user"
            value={user}
            autoComplete="username"
            spellCheck={false}
            disabled={busy}
            onChange={(e) => setUser(e.target.value)}
          />
        </label>
        <label>
          {t("sync.signin.password")}
          <input
            type="password"
            data-testid="signin-password"
            value={password}
            autoComplete="current-password"
            disabled={busy}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        <label>
          {t("sync.signin.ca_file")}
          <input
            data-testid="signin-ca-file"
            value={caFile}
            spellCheck={false}
            disabled={busy}
            onChange={(e) => setCaFile(e.target.value)}
          />
          <span className="muted" style={{ fontSize: 12 }}>
            {t("sync.signin.ca_file_hint")}
          </span>
        </label>
        <label style={{ flexDirection: "row", alignItems: "center", gap: 8 }}>
          <input
            type="checkbox"
            data-testid="signin-insecure-http"
            checked={insecureHttp}
            disabled={busy}
            onChange={(e) => setInsecureHttp(e.target.checked)}
          />
          {t("sync.signin.insecure_http")}
        </label>
        {insecureHttp && (
          <div className="error" role="alert" data-testid="signin-insecure-warning">
            {t("sync.signin.insecure_http_warning")}
          </div>
        )}
        {missing && (
          <div className="field-error" role="alert" data-testid="signin-missing">
            {t("sync.signin.required")}
          </div>
        )}
        {failure && <ErrorBanner error={failure} />}
        {failure?.code === "standalone_history" && (
          <div className="panel" data-testid="standalone-history" style={{ margin: 0 }}>
            <strong>{t("sync.join.title")}</strong>
            <p style={{ margin: "6px 0" }}>{t("sync.join.why")}</p>
            <ul style={{ margin: "0 0 8px", paddingLeft: 18 }}>
              <li>{t("sync.join.archive")}</li>
              <li className="muted">{t("sync.join.import")}</li>
            </ul>
            <button type="button" data-testid="archive-history" disabled={busy} onClick={() => setArchiving(true)}>
              {t("sync.join.archive_button")}
            </button>
          </div>
        )}
        {archived && (
          <p className="notice" data-testid="archived" style={{ margin: 0 }}>
            {t("sync.join.archived", { path: archived })}
          </p>
        )}
        <div>
          <button type="submit" className="primary" data-testid="signin-submit" disabled={busy}>
            {busy ? t("sync.signin.working") : t("sync.signin.submit")}
          </button>
        </div>
      </form>
      {archiving && (
        <Dialog
          title={t("sync.join.confirm_title")}
          confirmLabel={t("sync.join.archive_button")}
          busy={busy}
          onCancel={() => setArchiving(false)}
          onConfirm={() => void archive()}
          testId="archive-dialog"
        >
          <p style={{ margin: 0 }}>{t("sync.join.confirm_body")}</p>
        </Dialog>
      )}
    </div>
  );
}
