// Sync overviews for tests.
import type { SyncOverview } from "../bindings/SyncOverview";

export function overview(over: Partial<SyncOverview> = {}): SyncOverview {
  return {
    status: { state: "online" },
    server_url: "http://127.0.0.1:8470",
    user: "amy",
    pending: 0,
    issues: 0,
    token_store: "local_settings",
    ...over,
  };
}
