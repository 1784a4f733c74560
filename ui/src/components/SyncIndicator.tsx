// The header's sync status: online / offline (retrying in N s) / syncing /
// N pending / signed out / needs sign-in, and the count of sync issues. A
// click leads to sign-in when that is what is needed, else to the sync-issues
// inbox.
import type { SyncOverview } from "../bindings/SyncOverview";
import { useI18n, type T } from "../i18n";
import { useShell } from "../lib/context";
import { needsSignIn, useSyncOverview } from "../lib/sync";

export function statusText(t: T, o: SyncOverview): string {
  const s = o.status;
  switch (s.state) {
    case "standalone":
      return t("sync.status.standalone");
    case "signed_out":
      return t("sync.status.signed_out");
    case "needs_sign_in":
      return t("sync.status.needs_sign_in");
    case "syncing":
      return t("sync.status.syncing");
    case "online":
      return t("sync.status.online");
    case "offline":
      return t("sync.status.offline", { s: s.retry_in_s });
  }
}

const TONE: Record<SyncOverview["status"]["state"], string> = {
  standalone: "",
  signed_out: "warn",
  needs_sign_in: "bad",
  syncing: "",
  online: "ok",
  offline: "warn",
};

export function SyncIndicator() {
  const { t } = useI18n();
  const { go } = useShell();
  const { overview } = useSyncOverview();
  if (!overview) return null;
  const state = overview.status.state;
  const title =
    overview.status.state === "offline" || overview.status.state === "needs_sign_in"
      ? `${statusText(t, overview)} — ${overview.status.state === "offline" ? overview.status.reason : overview.status.code}`
      : statusText(t, overview);
  return (
    <button
      type="button"
      className={`sync-indicator ${TONE[state]}`}
      data-testid="sync-status"
      data-state={state}
      data-pending={overview.pending}
      aria-label={`${t("sync.status.label")}: ${statusText(t, overview)}`}
      title={title}
      onClick={() => go({ screen: needsSignIn(overview.status) ? "signin" : "sync_issues" })}
    >
      <span className="sync-dot" aria-hidden="true" />
      <span data-testid="sync-status-text">{statusText(t, overview)}</span>
      {overview.pending > 0 && (
        <span className="sync-count" data-testid="sync-pending">
          {t("sync.status.pending", { n: overview.pending })}
        </span>
      )}
      {overview.issues > 0 && (
        <span className="sync-count bad" data-testid="sync-issues-count">
          {t("sync.status.issues", { n: overview.issues })}
        </span>
      )}
    </button>
  );
}
