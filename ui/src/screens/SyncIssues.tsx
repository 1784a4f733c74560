// The sync-issues inbox: changes the server refused, newest first, each with
// the reason (translated from its stable code), who came first when someone
// else's change won, a link to the complaint, and a dismiss action.
import { useState } from "react";
import type { AppError } from "../bindings/AppError";
import type { SyncIssue } from "../bindings/SyncIssue";
import { ComplaintLink } from "../components/ComplaintLink";
import { EmptyState, ErrorBanner, ErrorDetails, ListBody, ScreenTitle } from "../components/Status";
import { errorMessage, hasKey, useI18n, type T } from "../i18n";
import { api, toAppError } from "../lib/api";
import { formatDateTime } from "../lib/time";
import { useLoad } from "../lib/useLoad";

function mutationLabel(t: T, name: string): string {
  const key = `sync.mutation.${name}`;
  return hasKey(key) ? t(key) : name;
}

function winner(t: T, i: SyncIssue): string | null {
  if (!i.decided_by) return null;
  const dkey = `sync.issues.decision.${i.decision ?? ""}`;
  const decision = hasKey(dkey) ? t(dkey) : (i.decision ?? "");
  return t("sync.issues.decided", { user: i.decided_by, decision });
}

export function SyncIssues() {
  const { t, lang } = useI18n();
  const { data, error, loading, reload } = useLoad(() => api.syncIssues(), [], () => true);
  const [failure, setFailure] = useState<AppError>();
  const [busy, setBusy] = useState<number>();

  const dismiss = async (seq: number) => {
    setBusy(seq);
    setFailure(undefined);
    try {
      await api.dismissSyncIssue(seq);
      reload();
    } catch (e) {
      setFailure(toAppError(e));
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <div>
      <ScreenTitle
        title={t("sync.title")}
        count={data && data.length > 0 ? t("sync.issues.count", { n: data.length }) : undefined}
        countTestId="issues-count"
      />
      {error && <ErrorBanner error={error} onRetry={reload} />}
      {failure && <ErrorBanner error={failure} />}
      <ListBody
        loading={loading}
        list={data}
        empty={<EmptyState title={t("sync.issues.empty")} hint={t("sync.issues.empty_hint")} />}
      >
        <table className="table" data-testid="issues-table">
          <thead>
            <tr>
              <th>{t("sync.issues.complaint")}</th>
              <th>{t("sync.issues.what")}</th>
              <th>{t("sync.issues.reason")}</th>
              <th>{t("sync.issues.winner")}</th>
              <th>{t("sync.issues.when")}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {data?.map((i) => (
              <tr key={i.client_seq} data-testid="issue-row" data-code={i.code}>
                <td>
                  {i.complaint_id && i.number ? (
                    <ComplaintLink id={i.complaint_id} number={i.number} title={i.number} />
                  ) : (
                    <span className="muted">{t("sync.issues.unknown_complaint")}</span>
                  )}
                </td>
                <td data-testid="issue-what">{mutationLabel(t, i.mutation)}</td>
                <td>
                  <span data-testid="issue-reason">{errorMessage(t, i.code)}</span>
                  <ErrorDetails code={i.code} />
                </td>
                <td data-testid="issue-winner">{winner(t, i) ?? t("common.none")}</td>
                <td>{formatDateTime(i.occurred_at, lang)}</td>
                <td>
                  <button
                    type="button"
                    data-testid="issue-dismiss"
                    disabled={busy === i.client_seq}
                    onClick={() => void dismiss(i.client_seq)}
                  >
                    {t("sync.issues.dismiss")}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ListBody>
    </div>
  );
}
