// i18n: every string on screen comes from here. The catalogue is split by
// area (areas/*.ts); each area's zh-CN table must have exactly the keys of its
// English one (the type says so, and a test checks it at run time too).
// The language switches at run time, without a reload.
import type { ErrorCode } from "../bindings/ErrorCode";
import { createContext, useContext, useMemo, type ReactNode } from "react";
import * as admin from "./areas/admin";
import * as approvals from "./areas/approvals";
import * as callbacks from "./areas/callbacks";
import * as common from "./areas/common";
import * as complaint from "./areas/complaint";
import * as dashboard from "./areas/dashboard";
import * as enums from "./areas/enums";
import * as errors from "./areas/errors";
import * as newComplaint from "./areas/newComplaint";
import * as reminders from "./areas/reminders";
import * as settings from "./areas/settings";
import * as sync from "./areas/sync";

export type Lang = "zh-CN" | "en";
export const LANGS: readonly Lang[] = ["zh-CN", "en"];

/** Every area of the catalogue, by name. */
export const AREAS = {
  common,
  enums,
  errors,
  dashboard,
  admin,
  approvals,
  callbacks,
  complaint,
  newComplaint,
  reminders,
  settings,
  sync,
} as const;

export const catalogue = {
  en: Object.assign({}, ...Object.values(AREAS).map((a) => a.en)) as Record<string, string>,
  "zh-CN": Object.assign({}, ...Object.values(AREAS).map((a) => a.zhCN)) as Record<string, string>,
} satisfies Record<Lang, Record<string, string>>;

export type Key =
  | keyof typeof common.en
  | keyof typeof enums.en
  | keyof typeof errors.en
  | keyof typeof dashboard.en
  | keyof typeof admin.en
  | keyof typeof approvals.en
  | keyof typeof callbacks.en
  | keyof typeof complaint.en
  | keyof typeof newComplaint.en
  | keyof typeof reminders.en
  | keyof typeof settings.en
  | keyof typeof sync.en;

export type Params = Record<string, string | number>;

/** Fills `{name}` placeholders. */
export function interpolate(text: string, params?: Params): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m));
}

export function translate(lang: Lang, key: Key, params?: Params): string {
  const text = catalogue[lang][key] ?? catalogue.en[key] ?? key;
  return interpolate(text, params);
}

/** Whether a dynamic key (built from a wire name) exists. */
export function hasKey(key: string): key is Key {
  return key in catalogue.en;
}

export type T = (key: Key, params?: Params) => string;

interface I18n {
  lang: Lang;
  t: T;
}

const Ctx = createContext<I18n>({ lang: "zh-CN", t: (k, p) => translate("zh-CN", k, p) });

export function I18nProvider({ lang, children }: { lang: Lang; children: ReactNode }) {
  const value = useMemo<I18n>(() => ({ lang, t: (k, p) => translate(lang, k, p) }), [lang]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useI18n(): I18n {
  return useContext(Ctx);
}

/** The message for an error code from the Rust side. */
export function errorMessage(t: T, code: ErrorCode): string {
  // Every code has a message (the catalogue is typed against ErrorCode); a
  // value from outside the type still gets the generic one.
  const key = `error.${code}` as const;
  return hasKey(key) ? t(key) : t("error.unknown", { code });
}
