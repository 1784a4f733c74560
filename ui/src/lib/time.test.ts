import { afterEach, describe, expect, it, vi } from "vitest";
import { dueStatus, formatCountdown, formatElapsed, nowMs, syncClock } from "./time";

const SEC = 1000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

describe("formatCountdown", () => {
  it("shows mm:ss under an hour", () => {
    expect(formatCountdown(0, "en")).toBe("00:00");
    expect(formatCountdown(5 * SEC, "en")).toBe("00:05");
    expect(formatCountdown(12 * MIN + 34 * SEC, "en")).toBe("12:34");
    expect(formatCountdown(HOUR - SEC, "en")).toBe("59:59");
    // Sub-second remainders are dropped, not rounded up.
    expect(formatCountdown(59 * SEC + 999, "en")).toBe("00:59");
    expect(formatCountdown(12 * MIN + 34 * SEC, "zh-CN")).toBe("12:34");
  });

  it("shows hours and minutes under a day", () => {
    expect(formatCountdown(HOUR, "en")).toBe("1h 00m");
    expect(formatCountdown(3 * HOUR + 5 * MIN + 59 * SEC, "en")).toBe("3h 05m");
    expect(formatCountdown(DAY - SEC, "en")).toBe("23h 59m");
    expect(formatCountdown(3 * HOUR + 5 * MIN, "zh-CN")).toBe("3小时05分");
  });

  it("shows days and hours beyond a day", () => {
    expect(formatCountdown(DAY, "en")).toBe("1d 00h");
    expect(formatCountdown(2 * DAY + 3 * HOUR + 59 * MIN, "en")).toBe("2d 03h");
    expect(formatCountdown(2 * DAY + 3 * HOUR, "zh-CN")).toBe("2天03小时");
  });

  it("puts a minus in front of overdue values, in every range", () => {
    expect(formatCountdown(-5 * SEC, "en")).toBe("-00:05");
    expect(formatCountdown(-(2 * HOUR + 10 * MIN), "en")).toBe("-2h 10m");
    expect(formatCountdown(-(3 * DAY + HOUR), "en")).toBe("-3d 01h");
    expect(formatCountdown(-(2 * HOUR + 10 * MIN), "zh-CN")).toBe("-2小时10分");
    expect(formatCountdown(-(3 * DAY + HOUR), "zh-CN")).toBe("-3天01小时");
  });

  it("formats elapsed time without a sign", () => {
    expect(formatElapsed(-(2 * HOUR + 10 * MIN), "en")).toBe("2h 10m");
    expect(formatElapsed(90 * SEC, "zh-CN")).toBe("01:30");
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
