// Names instead of codes: the site's catalogs (from the Rust side) name
// every department and complaint category in both languages. A code the
// catalog does not have (an empty catalog, history from before it) is shown
// as it is.
import type { CatalogEntry } from "../bindings/CatalogEntry";
import type { Catalogs } from "../bindings/Catalogs";
import type { Channel } from "../bindings/Channel";
import type { InvalidReason } from "../bindings/InvalidReason";
import type { RemedyKind } from "../bindings/RemedyKind";
import { useI18n, type Lang } from "../i18n";
import { useShell } from "./context";

export type CatalogKind = "department" | "category";

function entries(catalogs: Catalogs, kind: CatalogKind): CatalogEntry[] {
  return kind === "department"
    ? catalogs.departments
    : catalogs.categories.flatMap((g) => [g, ...g.categories]);
}

/** The entry of `code` in the catalog of `kind`, if it has one. */
export function catalogEntry(catalogs: Catalogs, kind: CatalogKind, code: string): CatalogEntry | undefined {
  return entries(catalogs, kind).find((e) => e.code === code);
}

/** An entry's name in `lang`. */
export function entryName(e: CatalogEntry, lang: Lang): string {
  return lang === "zh-CN" ? e.names.zh_cn : e.names.en;
}

/** The name of `code` in `lang`, or the code when the catalog does not name it. */
export function catalogName(catalogs: Catalogs, kind: CatalogKind, code: string, lang: Lang): string {
  const e = catalogEntry(catalogs, kind, code);
  return e ? entryName(e, lang) : code;
}

/** A category with its group: "宽带 / 宽带掉线". */
export function categoryPath(catalogs: Catalogs, code: string, lang: Lang): string {
  const group = catalogs.categories.find((g) => g.categories.some((c) => c.code === code));
  const name = catalogName(catalogs, "category", code, lang);
  return group ? `${catalogName(catalogs, "category", group.code, lang)} / ${name}` : name;
}

/** A person's display name, or the user name when the site does not list them. */
export function personName(catalogs: Catalogs, user: string): string {
  return catalogs.people.find((p) => p.user === user)?.name ?? user;
}

/** The enumerations a site may name and limit (channels, remedy types, invalid reasons). */
export type EnumCatalog = "channels" | "remedy_kinds" | "invalid_reasons";

/** The site's entry for an enumerated code, if it names it. */
function enumEntry(catalogs: Catalogs, list: EnumCatalog, code: string): CatalogEntry | undefined {
  return (catalogs[list] ?? []).find((e) => e.code === code);
}

/**
 * The codes to offer for new work: the site's enabled entries, in its
 * order, when it lists them; else every code. The rulebook refuses the
 * others, so this only spares the user a refusal.
 */
export function enumChoices<T extends string>(catalogs: Catalogs, list: EnumCatalog, all: readonly T[]): T[] {
  const entries = catalogs[list] ?? [];
  if (entries.length === 0) return [...all];
  return entries.filter((e) => e.enabled && (all as readonly string[]).includes(e.code)).map((e) => e.code as T);
}

/** Names in the current language, for screens. */
export function useNames() {
  const { catalogs } = useShell();
  const { lang, t } = useI18n();
  const named = (list: EnumCatalog, code: string, console: string) => {
    const e = enumEntry(catalogs, list, code);
    return e ? entryName(e, lang) : console;
  };
  return {
    catalogs,
    department: (code: string) => catalogName(catalogs, "department", code, lang),
    category: (code: string) => categoryPath(catalogs, code, lang),
    person: (user: string) => personName(catalogs, user),
    /** A channel, remedy type or invalid reason by the site's name, else the console's. */
    channel: (code: Channel) => named("channels", code, t(`channel.${code}`)),
    remedy: (code: RemedyKind) => named("remedy_kinds", code, t(`remedy.${code}`)),
    invalid: (code: InvalidReason) => named("invalid_reasons", code, t(`invalid.${code}`)),
  };
}
