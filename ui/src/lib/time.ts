// Time on screen: one shared one-second ticker for every countdown (no call to
// Rust per second), corrected by the difference between the Rust side's "now"
// and the WebView's clock, and formatting in the user's zone and locale.
import { useSyncExternalStore } from "react";
import type { Lang, T } from "../i18n";

let offsetMs = 0;

/** Aligns the UI clock with the instant the Rust side computed a view at. */
export function syncClock(rustNowIso: string, receivedAtMs: number = Date.now()): void {
  const rust = Date.parse(rustNowIso);
  if (!Number.isNaN(rust)) offsetMs = rust - receivedAtMs;
}

export function nowMs(): number {
  return Date.now() + offsetMs;
}

let tick = nowMs();
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(l: () => void): () => void {
  listeners.add(l);
  if (timer === undefined) {
    // The ticker sleeps while no countdown is on screen; catch up at once.
    tick = nowMs();
    timer = setInterval(() => {
      tick = nowMs();
      listeners.forEach((f) => f());
    }, 1000);
  }
  return () => {
    listeners.delete(l);
    if (listeners.size === 0 && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

/** The current instant, re-rendering once a second while mounted. */
export function useNow(): number {
  return useSyncExternalStore(subscribe, () => tick);
}

export type DueStatus = "ok" | "warning" | "breached";

/** ok until the warning instant, warning until due, breached after. */
export function dueStatus(dueMs: number, warnMs: number | null, now: number): DueStatus {
  if (now > dueMs) return "breached";
  if (warnMs !== null && now >= warnMs) return "warning";
  return "ok";
}

const pad = (n: number) => String(n).padStart(2, "0");

/**
 * A duration in its two largest units, the units taken from the catalogue
 * (`duration.*`): `45m 08s` under an hour, `10h 28m` under a day, `2d 3h`
 * beyond (`45分08秒`, `10小时28分`, `2天3小时`). Sub-second remainders are
 * dropped.
 */
export function formatDuration(ms: number, t: T): string {
  const total = Math.floor(Math.abs(ms) / 1000);
  const d = Math.floor(total / 86400);
  const h = Math.floor((total % 86400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (d > 0) return t("duration.days_hours", { d, h });
  if (h > 0) return t("duration.hours_minutes", { h, m: pad(m) });
  if (m > 0) return t("duration.minutes_seconds", { m, s: pad(s) });
  return t("duration.seconds", { s });
}

/**
 * A countdown to a deadline `remainingMs` away: the time left, or once it
 * passed "… overdue" (`超时…`); the very second of the deadline reads
 * "due now", never a signed zero.
 */
export function formatCountdown(remainingMs: number, t: T): string {
  if (remainingMs >= 0) return formatDuration(remainingMs, t);
  if (remainingMs > -1000) return t("countdown.now");
  return t("countdown.overdue", { time: formatDuration(remainingMs, t) });
}

/** A date and time in the user's zone, in their language; `at` is RFC 3339
 * text or epoch milliseconds. */
export function formatDateTime(at: string | number | null | undefined, lang: Lang): string {
  if (at === null || at === undefined || at === "") return "";
  const t = typeof at === "number" ? at : Date.parse(at);
  if (Number.isNaN(t)) return String(at);
  return new Intl.DateTimeFormat(lang, {
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hour12: false,
  }).format(t);
}

/** A near instant with its weekday, e.g. `Mon 09:00` / `周一 09:00`. */
export function formatWeekdayTime(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return "";
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return new Intl.DateTimeFormat(lang, { weekday: "short", hour: "2-digit", minute: "2-digit", hour12: false }).format(t);
}

/** A duration such as time waiting: `3h 12m` / `3小时12分`. */
export function formatElapsed(ms: number, t: T): string {
  return formatDuration(ms, t);
}
