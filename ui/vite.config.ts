import { defineConfig, type Plugin } from "vite";

// Tauri freezes Object.prototype (`freezePrototype` in tauri.conf.json).
// d3-color (used by React Flow's d3-zoom) assigns `constructor` and
// `toString` on prototypes, which then throws ("override mistake") and the
// whole bundle stops. Define them as own properties instead.
const D3_COLOR_PATCHES: [string, string][] = [
  [
    "prototype.constructor = constructor;",
    'Object.defineProperty(prototype, "constructor", { value: constructor, writable: true, configurable: true });',
  ],
  [
    "for (var key in definition) prototype[key] = definition[key];",
    "for (var key in definition) Object.defineProperty(prototype, key, { value: definition[key], writable: true, configurable: true, enumerable: true });",
  ],
];

function patchD3Color(code: string): string {
  let out = code;
  for (const [from, to] of D3_COLOR_PATCHES) {
    if (!out.includes(from)) throw new Error(`d3-color changed; update the frozen-prototype patch (${from})`);
    out = out.replace(from, to);
  }
  return out;
}

const isD3Color = (id: string) => /[\\/]d3-color[\\/]dist[\\/]d3-color\.m?js$/.test(id);

function frozenPrototypeSafeD3Color(): Plugin {
  return {
    name: "frozen-prototype-safe-d3-color",
    transform(code, id) {
      return isD3Color(id) ? { code: patchD3Color(code), map: null } : null;
    },
  };
}

// Tauri expects a fixed port and relative asset paths; WebKitGTK wants an
// older syntax target. JSX goes through esbuild's automatic runtime, so no
// inline refresh preamble is injected (keeps `script-src 'self'` happy).
export default defineConfig({
  base: "./",
  clearScreen: false,
  esbuild: { jsx: "automatic" },
  plugins: [frozenPrototypeSafeD3Color()],
  optimizeDeps: {
    // The dev server pre-bundles dependencies with esbuild: patch there too.
    esbuildOptions: {
      plugins: [
        {
          name: "frozen-prototype-safe-d3-color",
          setup(build) {
            build.onLoad({ filter: /[\\/]d3-color[\\/]dist[\\/]d3-color\.m?js$/ }, async (args) => {
              // (A variable specifier: the UI's tsconfig has no Node types.)
              const fsModule = "node:fs/promises";
              const { readFile } = (await import(fsModule)) as { readFile: (path: string, enc: string) => Promise<string> };
              return { contents: patchD3Color(await readFile(args.path, "utf8")), loader: "js" };
            });
          },
        },
      ],
    },
  },
  // Default host ("localhost") matches tauri.conf.json devUrl http://localhost:1420.
  server: { port: 1420, strictPort: true },
  preview: { port: 1421, strictPort: true, host: "127.0.0.1" },
  envPrefix: ["VITE_", "TAURI_ENV_"],
  build: {
    target: "safari13",
    outDir: "dist",
    sourcemap: false,
    rollupOptions: {
      onwarn(warning, warn) {
        // React Flow marks its module "use client" (for server components); meaningless here.
        if (warning.code === "MODULE_LEVEL_DIRECTIVE") return;
        warn(warning);
      },
    },
  },
});
