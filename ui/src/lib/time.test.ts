import { afterEach, describe, expect, it, vi } from "vitest";
import { translate, type T } from "../i18n";
import { dueStatus, formatCountdown, formatElapsed, nowMs, syncClock } from "./time";

const SEC = 1000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

const en: T = (k, p) => translate("en", k, p);
const zh: T = (k, p) => translate("zh-CN", k, p);

describe("formatCountdown", () => {
  it("shows minutes and seconds under an hour, with units", () => {
    expect(formatCountdown(0, en)).toBe("0s");
    expect(formatCountdown(5 * SEC, en)).toBe("5s");
    expect(formatCountdown(45 * MIN + 8 * SEC, en)).toBe("45m 08s");
    expect(formatCountdown(HOUR - SEC, en)).toBe("59m 59s");
    // Sub-second remainders are dropped, not rounded up.
    expect(formatCountdown(59 * SEC + 999, en)).toBe("59s");
    expect(formatCountdown(45 * MIN + 8 * SEC, zh)).toBe("45分08秒");
  });

  it("shows hours and minutes under a day", () => {
    expect(formatCountdown(HOUR, en)).toBe("1h 00m");
    expect(formatCountdown(10 * HOUR + 28 * MIN + 59 * SEC, en)).toBe("10h 28m");
    expect(formatCountdown(DAY - SEC, en)).toBe("23h 59m");
    expect(formatCountdown(3 * HOUR + 5 * MIN, zh)).toBe("3小时05分");
  });

  it("shows days and hours beyond a day", () => {
    expect(formatCountdown(DAY, en)).toBe("1d 0h");
    expect(formatCountdown(2 * DAY + 3 * HOUR + 59 * MIN, en)).toBe("2d 3h");
    expect(formatCountdown(2 * DAY + 3 * HOUR, zh)).toBe("2天3小时");
  });

  it("says overdue in words, in every range, and never shows a signed zero", () => {
    expect(formatCountdown(-500, en)).toBe("due now");
    expect(formatCountdown(-500, zh)).toBe("已到期");
    expect(formatCountdown(-5 * SEC, en)).toBe("5s overdue");
    expect(formatCountdown(-(45 * MIN + 8 * SEC), en)).toBe("45m 08s overdue");
    expect(formatCountdown(-(2 * HOUR + 10 * MIN), en)).toBe("2h 10m overdue");
    expect(formatCountdown(-(3 * DAY + HOUR), en)).toBe("3d 1h overdue");
    expect(formatCountdown(-(2 * HOUR + 10 * MIN), zh)).toBe("超时2小时10分");
    expect(formatCountdown(-(3 * DAY + HOUR), zh)).toBe("超时3天1小时");
    for (const ms of [-1, -999, -1000, -59_999, -HOUR, -DAY - 1]) {
      expect(formatCountdown(ms, en)).not.toMatch(/^-|00:00/);
    }
  });

  it("formats elapsed time without a sign", () => {
    expect(formatElapsed(-(2 * HOUR + 10 * MIN), en)).toBe("2h 10m");
    expect(formatElapsed(90 * SEC, zh)).toBe("1分30秒");
  });
});

describe("dueStatus", () => {
  const due = 1_000_000;
  const warn = 900_000;

  it("is ok before the warning instant", () => {
    expect(dueStatus(due, warn, warn - 1)).toBe("ok");
  });

  it("turns to warning exactly at the warning instant", () => {
    expect(dueStatus(due, warn, warn)).toBe("warning");
    expect(dueStatus(due, warn, due - 1)).toBe("warning");
  });

  it("is still warning at the due instant and breached just after", () => {
    expect(dueStatus(due, warn, due)).toBe("warning");
    expect(dueStatus(due, warn, due + 1)).toBe("breached");
  });

  it("without a warning instant goes straight from ok to breached", () => {
    expect(dueStatus(due, null, due - 1)).toBe("ok");
    expect(dueStatus(due, null, due)).toBe("ok");
    expect(dueStatus(due, null, due + 1)).toBe("breached");
  });
});

describe("syncClock", () => {
  afterEach(() => {
    // Put the offset back to zero for the other tests.
    syncClock(new Date(Date.now()).toISOString(), Date.now());
    vi.useRealTimers();
  });

  it("offsets the UI clock by the difference to the Rust side's now", () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date("2026-03-01T08:00:00.000Z"));
    // Rust said 08:00:30 when the answer arrived at (local) 08:00:00.
    syncClock("2026-03-01T08:00:30.000Z", Date.now());
    expect(nowMs()).toBe(Date.parse("2026-03-01T08:00:30.000Z"));
    vi.advanceTimersByTime(10 * SEC);
    expect(nowMs()).toBe(Date.parse("2026-03-01T08:00:40.000Z"));
  });

  it("can move the clock backwards too", () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date("2026-03-01T08:00:00.000Z"));
    syncClock("2026-03-01T07:59:00.000Z", Date.parse("2026-03-01T08:00:00.000Z"));
    expect(nowMs()).toBe(Date.parse("2026-03-01T07:59:00.000Z"));
  });

  it("ignores an instant it cannot parse", () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date("2026-03-01T08:00:00.000Z"));
    syncClock("2026-03-01T08:05:00.000Z", Date.now());
    syncClock("not a time", Date.now());
    expect(nowMs()).toBe(Date.parse("2026-03-01T08:05:00.000Z"));
  });
});
