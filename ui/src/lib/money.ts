import type { Money } from "../bindings/Money";
import type { Lang } from "../i18n";

/** Amounts travel in minor units (fen, cents). */
export function formatMoney(m: Money, lang: Lang): string {
  try {
    return new Intl.NumberFormat(lang, { style: "currency", currency: m.currency }).format(
      m.amount_minor / 100,
    );
  } catch {
    return `${(m.amount_minor / 100).toFixed(2)} ${m.currency}`;
  }
}

/** Parses "123.45" into minor units; null when it is not an amount. */
export function parseAmount(text: string): number | null {
  const t = text.trim().replace(/,/g, "");
  if (!/^\d+(\.\d{1,2})?$/.test(t)) return null;
  const [whole, frac = ""] = t.split(".");
  return Number(whole) * 100 + Number(frac.padEnd(2, "0"));
}

/** Minor units as the amount a form shows ("500", "12.50"); "" for none. */
export function amountText(minor: number | null): string {
  if (minor === null) return "";
  return minor % 100 === 0 ? String(minor / 100) : (minor / 100).toFixed(2);
}
