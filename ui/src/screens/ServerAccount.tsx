// The settings screen's "Server" panel: which server this console is linked
// to, as whom, where the session is kept (system keychain or the local data
// file), and sign-in / sign-out. Signing out asks first, and warns when
// changes have not reached the server yet (they are kept, not dropped).
import { useState } from "react";
import type { AppError } from "../bindings/AppError";
import { Dialog } from "../components/Dialog";
import { ErrorBanner } from "../components/Status";
import { useI18n } from "../i18n";
import { api, toAppError } from "../lib/api";
import { useShell } from "../lib/context";
import { publishSyncStatus, useSyncOverview } from "../lib/sync";

export function ServerAccount() {
  const { t } = useI18n();
  const { go } = useShell();
  const { overview } = useSyncOverview();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<AppError>();
  if (!overview) return null;
  const state = overview.status.state;
  const signedIn = state !== "standalone" && state !== "signed_out";
  const url = overview.server_url ?? "";
  const user = overview.user ?? "";

  const signOut = async () => {
    setBusy(true);
    setFailure(undefined);
    try {
      publishSyncStatus(await api.signOut());
      setConfirming(false);
    } catch (e) {
      setFailure(toAppError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" style={{ display: "flex", flexDirection: "column", gap: 8 }} data-testid="server-panel">
      <h2 style={{ margin: 0 }}>{t("sync.account.title")}</h2>
      <p style={{ margin: 0 }} data-testid="server-linked">
        {state === "standalone"
          ? t("sync.account.standalone")
          : state === "signed_out"
            ? t("sync.account.signed_out", { url })
            : t("sync.account.linked", { url, user })}
      </p>
      {overview.token_store && (
        <p className="muted" style={{ margin: 0, fontSize: 12 }} data-testid="token-store" data-store={overview.token_store}>
          {t(overview.token_store === "keychain" ? "sync.account.keychain" : "sync.account.local_settings")}
        </p>
      )}
      {failure && <ErrorBanner error={failure} />}
      <div>
        {signedIn ? (
          <button type="button" data-testid="sign-out" onClick={() => setConfirming(true)}>
            {t("sync.account.sign_out")}
          </button>
        ) : (
          <button type="button" className="primary" data-testid="sign-in" onClick={() => go({ screen: "signin" })}>
            {t("sync.account.sign_in")}
          </button>
        )}
      </div>
      {confirming && (
        <Dialog
          title={t("sync.signout.title")}
          confirmLabel={t("sync.signout.confirm")}
          danger
          busy={busy}
          testId="signout-dialog"
          onConfirm={() => void signOut()}
          onCancel={() => setConfirming(false)}
        >
          <p>{t("sync.signout.body")}</p>
          {overview.pending > 0 && (
            <p className="field-error" role="alert" data-testid="signout-pending">
              {t("sync.signout.pending", { n: overview.pending })}
            </p>
          )}
          {failure && <ErrorBanner error={failure} />}
        </Dialog>
      )}
    </section>
  );
}
