// The configuration screen's People tab: the server's accounts. An admin
// adds people, changes a role or a personal approval limit, disables and
// enables an account, resets a password and ends sessions. Each change goes
// to the server at once (and into its audit log); display names are part of
// the catalogs.
import { useState } from "react";
import type { AccountInput } from "../bindings/AccountInput";
import type { AccountLine } from "../bindings/AccountLine";
import type { AdminConfig } from "../bindings/AdminConfig";
import type { AppError } from "../bindings/AppError";
import type { Role } from "../bindings/Role";
import { Dialog } from "../components/Dialog";
import { Options } from "../components/Options";
import { EmptyState, ErrorBanner, ListBody, Notice } from "../components/Status";
import { useI18n } from "../i18n";
import { api, toAppError } from "../lib/api";
import { useShell } from "../lib/context";
import { amountText, parseAmount } from "../lib/money";
import { personName } from "../lib/names";
import { ROLES } from "../lib/roles";
import { formatDateTime } from "../lib/time";
import { useLoad } from "../lib/useLoad";

type Pending =
  | { kind: "disable"; account: AccountLine }
  | { kind: "password"; account: AccountLine }
  | { kind: "sessions"; account: AccountLine };

export function People({ base }: { base: AdminConfig }) {
  const { t } = useI18n();
  const accounts = useLoad(
    () => (base.home === "server" ? api.adminAccounts() : Promise.resolve([])),
    [base.home],
    () => false,
  );
  const [pending, setPending] = useState<Pending>();
  const [done, setDone] = useState<string>();
  const [failure, setFailure] = useState<AppError>();

  if (base.home === "local") {
    return (
      <div className="panel">
        <p className="muted" style={{ margin: 0 }}>
          {t("admin.people.local")}
        </p>
      </div>
    );
  }

  /** Runs one change; true when it went through. */
  const run = (call: Promise<unknown>, message: string): Promise<boolean> => {
    setFailure(undefined);
    setDone(undefined);
    return call
      .then(() => {
        setDone(message);
        accounts.reload();
        return true;
      })
      .catch((e: unknown) => {
        setFailure(toAppError(e));
        return false;
      });
  };

  return (
    <div style={{ display: "flex", flexDirection: "column", gap: 12 }}>
      {accounts.error && <ErrorBanner error={accounts.error} onRetry={accounts.reload} />}
      {failure && <ErrorBanner error={failure} />}
      {done && <Notice testId="admin-people-done">{done}</Notice>}
      <ListBody loading={accounts.loading} list={accounts.data} empty={<EmptyState title={t("admin.people.none")} />}>
        <table className="table panel" data-testid="admin-accounts">
          <thead>
            <tr>
              <th>{t("admin.people.account")}</th>
              <th>{t("settings.role")}</th>
              <th>{t("admin.people.limit")}</th>
              <th>{t("admin.people.state")}</th>
              <th>{t("admin.people.sessions")}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {accounts.data?.map((a) => (
              <AccountRow
                key={`${a.name}-${a.role}-${a.approval_limit_minor}-${a.disabled}`}
                account={a}
                onSave={(role, limit) =>
                  void run(
                    api.adminEditAccount(a.name, { role, approval_limit_minor: limit, disabled: a.disabled }),
                    t("admin.people.saved", { name: a.name }),
                  )
                }
                onEnable={() =>
                  void run(
                    api.adminEditAccount(a.name, {
                      role: a.role,
                      approval_limit_minor: a.approval_limit_minor,
                      disabled: false,
                    }),
                    t("admin.people.enabled", { name: a.name }),
                  )
                }
                onAsk={(kind) => setPending({ kind, account: a })}
              />
            ))}
          </tbody>
        </table>
      </ListBody>
      <AddAccount
        onAdd={(input, displayName) =>
          run(
            api.adminAddAccount(input).then(() => (displayName ? nameInCatalog(input.name, displayName) : undefined)),
            t("admin.people.added", { name: displayName || input.name.trim() }),
          )
        }
      />
      {pending && (
        <Confirm
          pending={pending}
          onCancel={() => setPending(undefined)}
          onDone={(call, message) => {
            void run(call, message).finally(() => setPending(undefined));
          }}
        />
      )}
    </div>
  );
}

/**
 * Gives a new account its display name in the site's people catalog, as a
 * new configuration version on top of the current one (unless the catalog
 * names the user already).
 */
async function nameInCatalog(user: string, name: string): Promise<void> {
  const c = await api.adminConfig();
  if (c.catalogs.people.some((p) => p.user === user)) return;
  await api.adminSave({
    base_version: c.version,
    catalogs: { ...c.catalogs, people: [...c.catalogs.people, { user, name }] },
    policies: c.policies,
    authority: c.authority,
    notifications: c.notifications,
    calendars: c.calendar_specs,
    callbacks: c.callbacks,
    repeats: c.repeats,
    note: `display name of ${user}`,
  });
}

function AccountRow({
  account,
  onSave,
  onEnable,
  onAsk,
}: {
  account: AccountLine;
  onSave: (role: Role, limit: number | null) => void;
  onEnable: () => void;
  onAsk: (kind: Pending["kind"]) => void;
}) {
  const { t } = useI18n();
  const { catalogs } = useShell();
  const [role, setRole] = useState<Role>(account.role);
  const [limit, setLimit] = useState(amountText(account.approval_limit_minor));
  const parsed = limit.trim() === "" ? null : parseAmount(limit);
  const changed = role !== account.role || parsed !== account.approval_limit_minor;
  const person = account.kind === "person";
  const name = personName(catalogs, account.name);
  return (
    <tr data-testid={`admin-account-${account.name}`} className={account.disabled ? "muted" : ""}>
      <td>
        {name}
        {name !== account.name && <span className="muted"> · {account.name}</span>}
        {!person && <span className="tag" style={{ marginLeft: 6 }}>{t("admin.people.integration")}</span>}
      </td>
      <td>
        {person ? (
          <select
            aria-label={t("settings.role")}
            data-testid={`admin-account-${account.name}-role`}
            value={role}
            onChange={(e) => setRole(e.target.value as Role)}
          >
            <Options values={ROLES} label={(r) => t(`role.${r}`)} />
          </select>
        ) : (
          t(`role.${account.role}`)
        )}
      </td>
      <td>
        {person && (
          <input
            aria-label={t("admin.people.limit")}
            data-testid={`admin-account-${account.name}-limit`}
            value={limit}
            inputMode="decimal"
            placeholder={t("admin.people.limit_role")}
            aria-invalid={parsed === null && limit.trim() !== "" ? true : undefined}
            style={{ width: 110 }}
            onChange={(e) => setLimit(e.target.value)}
          />
        )}
      </td>
      <td>{account.disabled ? t("admin.people.disabled") : t("admin.people.active")}</td>
      <td>{account.sessions}</td>
      <td>
        <div className="row-actions">
          {changed && (
            <button
              type="button"
              className="primary"
              data-testid={`admin-account-${account.name}-save`}
              disabled={parsed === null && limit.trim() !== ""}
              onClick={() => onSave(role, parsed)}
            >
              {t("admin.people.apply")}
            </button>
          )}
          {person && (
            <button type="button" data-testid={`admin-account-${account.name}-password`} onClick={() => onAsk("password")}>
              {t("admin.people.reset")}
            </button>
          )}
          {account.sessions > 0 && (
            <button type="button" data-testid={`admin-account-${account.name}-sessions`} onClick={() => onAsk("sessions")}>
              {t("admin.people.end_sessions")}
            </button>
          )}
          {account.disabled ? (
            <button type="button" data-testid={`admin-account-${account.name}-enable`} onClick={onEnable}>
              {t("admin.people.enable")}
            </button>
          ) : (
            <button type="button" data-testid={`admin-account-${account.name}-disable`} onClick={() => onAsk("disable")}>
              {t("admin.people.disable")}
            </button>
          )}
        </div>
      </td>
    </tr>
  );
}

/** The confirmations of what ends sessions: disabling, a new password, ending them. */
function Confirm({
  pending,
  onCancel,
  onDone,
}: {
  pending: Pending;
  onCancel: () => void;
  onDone: (call: Promise<unknown>, message: string) => void;
}) {
  const { t } = useI18n();
  const [password, setPassword] = useState("");
  const a = pending.account;
  if (pending.kind === "password") {
    const short = [...password].length < 8;
    return (
      <Dialog
        title={t("admin.people.reset")}
        danger
        canConfirm={!short}
        confirmLabel={t("admin.people.reset")}
        testId="admin-password-dialog"
        onCancel={onCancel}
        onConfirm={() => onDone(api.adminResetPassword(a.name, password), t("admin.people.reset_done", { name: a.name }))}
      >
        <p>{t("admin.people.reset_hint", { name: a.name })}</p>
        <label>
          {t("admin.people.new_password")}
          <input
            type="password"
            data-testid="admin-new-password"
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {password !== "" && short && <span className="field-error">{t("admin.people.password_short")}</span>}
      </Dialog>
    );
  }
  if (pending.kind === "sessions") {
    return (
      <Dialog
        title={t("admin.people.end_sessions")}
        danger
        confirmLabel={t("admin.people.end_sessions")}
        testId="admin-sessions-dialog"
        onCancel={onCancel}
        onConfirm={() => onDone(api.adminRevokeSessions(a.name, null), t("admin.people.sessions_ended", { name: a.name }))}
      >
        <Sessions name={a.name} />
        <p>{t("admin.people.end_sessions_hint", { name: a.name })}</p>
      </Dialog>
    );
  }
  return (
    <Dialog
      title={t("admin.people.disable")}
      danger
      confirmLabel={t("admin.people.disable")}
      testId="admin-disable-dialog"
      onCancel={onCancel}
      onConfirm={() =>
        onDone(
          api.adminEditAccount(a.name, { role: a.role, approval_limit_minor: a.approval_limit_minor, disabled: true }),
          t("admin.people.disabled_done", { name: a.name }),
        )
      }
    >
      <p>{t("admin.people.disable_hint", { name: a.name })}</p>
    </Dialog>
  );
}

function Sessions({ name }: { name: string }) {
  const { t, lang } = useI18n();
  const sessions = useLoad(() => api.adminSessions(name), [name], () => false);
  if (sessions.error) return <ErrorBanner error={sessions.error} />;
  return (
    <ul data-testid="admin-session-list" style={{ margin: 0, paddingLeft: 18, fontSize: 13 }}>
      {sessions.data?.map((s) => (
        <li key={s.id}>
          {t("admin.people.session", {
            device: s.device_name,
            since: formatDateTime(s.created_at, lang),
            until: formatDateTime(s.expires_at, lang),
          })}
        </li>
      ))}
    </ul>
  );
}

function AddAccount({ onAdd }: { onAdd: (input: AccountInput, displayName: string) => Promise<boolean> }) {
  const { t } = useI18n();
  const [name, setName] = useState("");
  const [display, setDisplay] = useState("");
  const [role, setRole] = useState<Role>("agent");
  const [limit, setLimit] = useState("");
  const [password, setPassword] = useState("");
  const [tried, setTried] = useState(false);
  const parsed = limit.trim() === "" ? null : parseAmount(limit);
  const problem =
    name.trim() === "" || /\s/.test(name.trim())
      ? "settings.error.user_spaces"
      : [...password].length < 8
        ? "admin.people.password_short"
        : parsed === null && limit.trim() !== ""
          ? "settings.error.limit"
          : null;
  return (
    <section className="panel" data-testid="admin-add-account" style={{ display: "flex", flexDirection: "column", gap: 6 }}>
      <h2 style={{ margin: 0 }}>{t("admin.people.add")}</h2>
      <div style={{ display: "flex", gap: 6, flexWrap: "wrap" }}>
        <input
          aria-label={t("admin.people.user")}
          placeholder={t("admin.people.user")}
          data-testid="admin-add-account-name"
          spellCheck={false}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <input
          aria-label={t("admin.people.name")}
          placeholder={t("admin.people.name")}
          data-testid="admin-add-account-display"
          value={display}
          onChange={(e) => setDisplay(e.target.value)}
        />
        <select aria-label={t("settings.role")} data-testid="admin-add-account-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
          <Options values={ROLES} label={(r) => t(`role.${r}`)} />
        </select>
        <input
          aria-label={t("admin.people.limit")}
          placeholder={t("admin.people.limit_role")}
          data-testid="admin-add-account-limit"
          inputMode="decimal"
          value={limit}
          onChange={(e) => setLimit(e.target.value)}
        />
        <input
          type="password"
          autoComplete="new-password"
          aria-label={t("admin.people.new_password")}
          placeholder={t("admin.people.new_password")}
          data-testid="admin-add-account-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <button
          type="button"
          data-testid="admin-add-account-add"
          onClick={() => {
            setTried(true);
            if (problem) return;
            void onAdd({ name: name.trim(), role, approval_limit_minor: parsed, password }, display.trim()).then((ok) => {
              if (!ok) return;
              setName("");
              setDisplay("");
              setLimit("");
              setPassword("");
              setTried(false);
            });
          }}
        >
          {t("admin.add")}
        </button>
      </div>
      {tried && problem && <span className="field-error">{t(problem)}</span>}
    </section>
  );
}
