import type { AppError } from "../bindings/AppError";
import { errorMessage, useI18n } from "../i18n";

export function Loading() {
  const { t } = useI18n();
  return (
    <div className="loading" role="status" data-testid="loading">
      {t("common.loading")}
    </div>
  );
}

export function EmptyState({ title, hint }: { title: string; hint?: string }) {
  return (
    <div className="empty" data-testid="empty">
      <p className="empty-title">{title}</p>
      {hint && <p className="empty-hint">{hint}</p>}
    </div>
  );
}

/** A translated error with its stable code, field details, and a retry. */
export function ErrorBanner({ error, onRetry }: { error: AppError; onRetry?: () => void }) {
  const { t } = useI18n();
  return (
    <div className="error" role="alert" data-testid="error" data-code={error.code}>
      <span>{errorMessage(t, error.code)}</span> <code>[{error.code}]</code>
      {error.fields && error.fields.length > 0 && (
        <ul>
          {error.fields.map((f) => (
            <li key={f.field}>
              <strong>{f.field}</strong>: {f.message}
            </li>
          ))}
        </ul>
      )}
      {onRetry && (
        <button type="button" onClick={onRetry}>
          {t("common.retry")}
        </button>
      )}
    </div>
  );
}
