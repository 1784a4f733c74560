// Time on screen: one shared one-second ticker for every countdown (no call to
// Rust per second), corrected by the difference between the Rust side's "now"
// and the WebView's clock, and formatting in the user's zone and locale.
import { useSyncExternalStore } from "react";
import type { Lang } from "../i18n";

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
 * A countdown to `remainingMs` (negative when overdue): `mm:ss` under an hour,
 * `1h 05m` under a day, `2d 03h` beyond; overdue values get a leading minus.
 */
export function formatCountdown(remainingMs: number, lang: Lang): string {
  const sign = remainingMs < 0 ? "-" : "";
  const total = Math.floor(Math.abs(remainingMs) / 1000);
  const d = Math.floor(total / 86400);
  const h = Math.floor((total % 86400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const zh = lang === "zh-CN";
  if (d > 0) return sign + (zh ? `${d}天${pad(h)}小时` : `${d}d ${pad(h)}h`);
  if (h > 0) return sign + (zh ? `${h}小时${pad(m)}分` : `${h}h ${pad(m)}m`);
  return `${sign}${pad(m)}:${pad(s)}`;
}

/** A date and time in the user's zone, in their language. */
export function formatDateTime(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return "";
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return new Intl.DateTimeFormat(lang, {
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hour12: false,
  }).format(t);
}

/** A duration such as time waiting: `3h 12m` / `3小时12分`. */
export function formatElapsed(ms: number, lang: Lang): string {
  return formatCountdown(Math.abs(ms), lang).replace(/^-/, "");
}
