// The api module for screen tests: everything real except the calls into the
// Rust side, which become mocks. Use it from each test file's own vi.mock call
// (vi.mock is hoisted per file, so the call itself cannot be shared):
//
//   vi.mock("../lib/api", async (importOriginal) =>
//     (await import("../test/api")).mockApi(await importOriginal()));
//
// This file must not import ../lib/api itself, or the mock would load it.
import { vi } from "vitest";
import type * as Api from "../lib/api";

export function mockApi(actual: typeof Api): typeof Api {
  const calls = Object.fromEntries(Object.keys(actual.api).map((name) => [name, vi.fn()]));
  return { ...actual, api: calls as unknown as typeof Api.api };
}
