import type { ReactNode } from "react";
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

/** A screen's heading, with a muted count beside it when there is one. */
export function ScreenTitle({ title, count, countTestId }: { title: string; count?: string; countTestId?: string }) {
  return (
    <h1>
      {title}
      {count !== undefined && (
        <span className="muted" style={{ fontSize: 14, fontWeight: 400, marginLeft: 10 }} data-testid={countTestId}>
          {count}
        </span>
      )}
    </h1>
  );
}

/** A short confirmation that something went through. */
export function Notice({ children, testId = "notice" }: { children: ReactNode; testId?: string }) {
  return (
    <div className="notice" role="status" data-testid={testId}>
      {children}
    </div>
  );
}

/**
 * The list part of a list screen. `list` is what to show, undefined until the
 * first answer: meanwhile "loading" (or nothing if that failed; the screen
 * shows the error). Then `empty` in a panel when there is nothing to list,
 * else the list itself.
 */
export function ListBody({
  loading,
  list,
  empty,
  children,
}: {
  loading: boolean;
  list: readonly unknown[] | undefined;
  empty: ReactNode;
  children: ReactNode;
}) {
  if (!list) return loading ? <Loading /> : null;
  if (list.length === 0) return <div className="panel">{empty}</div>;
  return <>{children}</>;
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
      <span data-testid="error-sentence">{errorMessage(t, error.code)}</span>
      {onRetry && (
        <>
          {" "}
          <button type="button" onClick={onRetry}>
            {t("common.retry")}
          </button>
        </>
      )}
      <ErrorDetails code={error.code} message={error.message} fields={error.fields} />
    </div>
  );
}

/**
 * What support needs and a user does not: the stable code, the Rust side's
 * own message and the fields it named, behind a "details" disclosure.
 */
export function ErrorDetails({
  code,
  message,
  fields,
}: {
  code: string;
  message?: string | undefined;
  fields?: AppError["fields"] | undefined;
}) {
  const { t } = useI18n();
  return (
    <details data-testid="error-details" style={{ fontSize: 12, marginTop: 4 }}>
      <summary>{t("common.details")}</summary>
      <code data-testid="error-code">{code}</code>
      {message && <span> · {message}</span>}
      {fields && fields.length > 0 && (
        <ul style={{ margin: "4px 0 0" }}>
          {fields.map((f) => (
            <li key={f.field}>
              <code>{f.field}</code>: {f.message}
            </li>
          ))}
        </ul>
      )}
    </details>
  );
}
