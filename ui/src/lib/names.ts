// Names instead of codes: the site's catalogs (from the Rust side) name
// every department and complaint category in both languages. A code the
// catalog does not have (an empty catalog, history from before it) is shown
// as it is.
import type { CatalogEntry } from "../bindings/CatalogEntry";
import type { Catalogs } from "../bindings/Catalogs";
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

/** Names in the current language, for screens. */
export function useNames() {
  const { catalogs } = useShell();
  const { lang } = useI18n();
  return {
    catalogs,
    department: (code: string) => catalogName(catalogs, "department", code, lang),
    category: (code: string) => categoryPath(catalogs, code, lang),
    person: (user: string) => personName(catalogs, user),
  };
}
