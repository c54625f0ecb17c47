import { defineConfig } from "vite";

// Tauri expects a fixed port and relative asset paths; WebKitGTK wants an
// older syntax target. JSX goes through esbuild's automatic runtime, so no
// inline refresh preamble is injected (keeps `script-src 'self'` happy).
export default defineConfig({
  base: "./",
  clearScreen: false,
  esbuild: { jsx: "automatic" },
  // Default host ("localhost") matches tauri.conf.json devUrl http://localhost:1420.
  server: { port: 1420, strictPort: true },
  preview: { port: 1421, strictPort: true, host: "127.0.0.1" },
  envPrefix: ["VITE_", "TAURI_ENV_"],
  build: {
    target: "safari13",
    outDir: "dist",
    sourcemap: false,
  },
});
