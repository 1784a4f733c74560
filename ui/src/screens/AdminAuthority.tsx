// The configuration screen's Authority tab: what each role may grant on its
// own and approve for others, for every remedy type and per type, and the
// "who must approve this?" check, answered by the rulebook on the matrix as
// edited.
import { useEffect, useState } from "react";
import type { AuthorityMatrix } from "../bindings/AuthorityMatrix";
import type { AuthorityRule } from "../bindings/AuthorityRule";
import type { RemedyKind } from "../bindings/RemedyKind";
import type { Role } from "../bindings/Role";
import type { RouteExplanation } from "../bindings/RouteExplanation";
import { Options } from "../components/Options";
import { useI18n } from "../i18n";
import { api } from "../lib/api";
import { amountText, formatMoney, parseAmount } from "../lib/money";
import { ROLES } from "../lib/roles";
import { REMEDY_KINDS } from "./complaint/choices";


/** An amount field that keeps what is typed until it is an amount. */
function AmountInput({
  minor,
  label,
  testId,
  onChange,
}: {
  minor: number;
  label: string;
  testId: string;
  onChange: (minor: number) => void;
}) {
  const [text, setText] = useState(amountText(minor));
  useEffect(() => {
    if (parseAmount(text) !== minor) setText(amountText(minor));
    // Only when the stored amount changes from outside.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [minor]);
  const bad = parseAmount(text) === null;
  return (
    <input
      aria-label={label}
      data-testid={testId}
      inputMode="decimal"
      value={text}
      aria-invalid={bad || undefined}
      style={{ width: 110 }}
      onChange={(e) => {
        setText(e.target.value);
        const v = parseAmount(e.target.value);
        if (v !== null) onChange(v);
      }}
    />
  );
}

export function AuthorityEditor({
  matrix,
  onChange,
}: {
  matrix: AuthorityMatrix;
  onChange: (m: AuthorityMatrix) => void;
}) {
  const { t } = useI18n();
  const general = (role: Role) => matrix.rules.find((r) => r.role === role && r.kind === null);
  const setRule = (index: number, rule: AuthorityRule) =>
    onChange({ ...matrix, rules: matrix.rules.map((r, i) => (i === index ? rule : r)) });
  const setGeneral = (role: Role, change: Partial<AuthorityRule>) => {
    const i = matrix.rules.findIndex((r) => r.role === role && r.kind === null);
    if (i >= 0) setRule(i, { ...matrix.rules[i]!, ...change });
    else onChange({ ...matrix, rules: [...matrix.rules, { role, kind: null, grant_minor: 0, approve_minor: 0, ...change }] });
  };
  const overrides = matrix.rules.map((r, i) => ({ r, i })).filter(({ r }) => r.kind !== null);
  const [newRole, setNewRole] = useState<Role>("supervisor");
  const [newKind, setNewKind] = useState<RemedyKind>("voucher");
  const taken = matrix.rules.some((r) => r.role === newRole && r.kind === newKind);

  return (
    <div style={{ display: "flex", flexDirection: "column", gap: 12 }}>
      <p className="muted" style={{ margin: 0 }}>
        {t("admin.authority.hint")}
      </p>
      <section className="panel" data-testid="admin-authority-general">
        <h2 style={{ marginTop: 0 }}>{t("admin.authority.general")}</h2>
        <label style={{ display: "inline-flex", gap: 6, alignItems: "center", marginBottom: 8 }}>
          {t("admin.authority.currency")}
          <input
            data-testid="admin-authority-currency"
            value={matrix.currency}
            maxLength={3}
            style={{ width: 60 }}
            onChange={(e) => onChange({ ...matrix, currency: e.target.value.toUpperCase() })}
          />
        </label>
        <table className="table">
          <thead>
            <tr>
              <th>{t("settings.role")}</th>
              <th>{t("admin.authority.grant")}</th>
              <th>{t("admin.authority.approve")}</th>
            </tr>
          </thead>
          <tbody>
            {ROLES.map((role) => {
              const r = general(role);
              return (
                <tr key={role} data-testid={`admin-authority-${role}`}>
                  <td>{t(`role.${role}`)}</td>
                  <td>
                    <AmountInput
                      minor={r?.grant_minor ?? 0}
                      label={t("admin.authority.grant")}
                      testId={`admin-authority-${role}-grant`}
                      onChange={(grant_minor) => setGeneral(role, { grant_minor })}
                    />
                  </td>
                  <td>
                    <AmountInput
                      minor={r?.approve_minor ?? 0}
                      label={t("admin.authority.approve")}
                      testId={`admin-authority-${role}-approve`}
                      onChange={(approve_minor) => setGeneral(role, { approve_minor })}
                    />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>
      <section className="panel" data-testid="admin-authority-overrides">
        <h2 style={{ marginTop: 0 }}>{t("admin.authority.per_kind")}</h2>
        {overrides.length === 0 ? (
          <p className="muted">{t("admin.authority.no_overrides")}</p>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th>{t("settings.role")}</th>
                <th>{t("admin.authority.kind")}</th>
                <th>{t("admin.authority.grant")}</th>
                <th>{t("admin.authority.approve")}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {overrides.map(({ r, i }) => (
                <tr key={`${r.role}-${r.kind}`} data-testid={`admin-authority-override-${r.role}-${r.kind}`}>
                  <td>{t(`role.${r.role}`)}</td>
                  <td>{r.kind && t(`remedy.${r.kind}`)}</td>
                  <td>
                    <AmountInput
                      minor={r.grant_minor}
                      label={t("admin.authority.grant")}
                      testId={`admin-authority-override-${r.role}-${r.kind}-grant`}
                      onChange={(grant_minor) => setRule(i, { ...r, grant_minor })}
                    />
                  </td>
                  <td>
                    <AmountInput
                      minor={r.approve_minor}
                      label={t("admin.authority.approve")}
                      testId={`admin-authority-override-${r.role}-${r.kind}-approve`}
                      onChange={(approve_minor) => setRule(i, { ...r, approve_minor })}
                    />
                  </td>
                  <td>
                    <button
                      type="button"
                      onClick={() => onChange({ ...matrix, rules: matrix.rules.filter((_, j) => j !== i) })}
                    >
                      {t("admin.sla.remove")}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <div style={{ display: "flex", gap: 6, marginTop: 8 }}>
          <select aria-label={t("settings.role")} value={newRole} onChange={(e) => setNewRole(e.target.value as Role)}>
            <Options values={ROLES} label={(r) => t(`role.${r}`)} />
          </select>
          <select
            aria-label={t("admin.authority.kind")}
            data-testid="admin-authority-new-kind"
            value={newKind}
            onChange={(e) => setNewKind(e.target.value as RemedyKind)}
          >
            <Options values={REMEDY_KINDS} label={(k) => t(`remedy.${k}`)} />
          </select>
          <button
            type="button"
            data-testid="admin-authority-add"
            disabled={taken}
            onClick={() => {
              const base = general(newRole);
              onChange({
                ...matrix,
                rules: [
                  ...matrix.rules,
                  {
                    role: newRole,
                    kind: newKind,
                    grant_minor: base?.grant_minor ?? 0,
                    approve_minor: base?.approve_minor ?? 0,
                  },
                ],
              });
            }}
          >
            {t("admin.authority.add")}
          </button>
        </div>
      </section>
      <RouteCheck matrix={matrix} />
    </div>
  );
}

/** "Who must approve this?": the route a proposal would take on `matrix`. */
function RouteCheck({ matrix }: { matrix: AuthorityMatrix }) {
  const { t, lang } = useI18n();
  const [role, setRole] = useState<Role>("agent");
  const [kind, setKind] = useState<RemedyKind>("refund");
  const [amount, setAmount] = useState("1000");
  const [answer, setAnswer] = useState<RouteExplanation>();
  const minor = parseAmount(amount);
  useEffect(() => {
    if (minor === null) {
      setAnswer(undefined);
      return;
    }
    let live = true;
    void api.authorityRoute(matrix, role, kind, minor).then((a) => {
      if (live) setAnswer(a);
    });
    return () => {
      live = false;
    };
  }, [matrix, role, kind, minor]);
  const money = (m: number) => formatMoney({ amount_minor: m, currency: matrix.currency }, lang);
  return (
    <section className="panel" data-testid="admin-route-check" style={{ display: "flex", flexDirection: "column", gap: 8 }}>
      <h2 style={{ margin: 0 }}>{t("admin.authority.check")}</h2>
      <div style={{ display: "flex", gap: 6, flexWrap: "wrap", alignItems: "center" }}>
        <label>
          {t("admin.authority.proposer")}{" "}
          <select data-testid="admin-route-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
            <Options values={ROLES} label={(r) => t(`role.${r}`)} />
          </select>
        </label>
        <label>
          {t("admin.authority.kind")}{" "}
          <select data-testid="admin-route-kind" value={kind} onChange={(e) => setKind(e.target.value as RemedyKind)}>
            <Options values={REMEDY_KINDS} label={(k) => t(`remedy.${k}`)} />
          </select>
        </label>
        <label>
          {t("admin.authority.amount")}{" "}
          <input
            data-testid="admin-route-amount"
            inputMode="decimal"
            value={amount}
            style={{ width: 110 }}
            onChange={(e) => setAmount(e.target.value)}
          />
        </label>
      </div>
      <p data-testid="admin-route-answer" style={{ margin: 0 }}>
        {minor === null
          ? t("settings.error.limit")
          : !answer
            ? ""
            : answer.routing === null
              ? t("admin.authority.nobody", { limit: money(answer.highest_limit_minor) })
              : answer.routing.route === "auto_approved"
                ? t("admin.authority.auto", { role: t(`role.${role}`), limit: money(answer.grant_limit_minor) })
                : t("admin.authority.needs", {
                    role: t(`role.${answer.routing.required_role}`),
                    all: answer.deciding_roles.map((r) => t(`role.${r}`)).join(lang === "zh-CN" ? "、" : ", "),
                  })}
      </p>
    </section>
  );
}
