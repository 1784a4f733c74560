import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";

// The console is served by Tauri from ui/dist (custom protocol), so asset
// paths are relative and there is no dev server in the normal build.
export default defineConfig({
  plugins: [react()],
  base: "./",
  clearScreen: false,
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "safari15",
    sourcemap: false,
  },
  test: {
    environment: "jsdom",
    globals: true,
    include: ["src/**/*.test.{ts,tsx}"],
  },
});
