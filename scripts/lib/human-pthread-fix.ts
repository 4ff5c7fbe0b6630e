// Makes human's multi-threaded tfjs-wasm work in a Vite build. tfjs starts each pthread worker from the source
// text of its emscripten factory (`"var WasmBackendModuleThreadedSimd = " + factory.toString()`), so that
// function must not depend on anything outside itself. It reads its enclosing closure's `_scriptDir` (human's
// bundle calls it r15) behind `typeof r15 != "undefined"`; the minifier knows r15 is declared and drops the guard,
// and the pthread worker then dies with "e is not defined" (the minified name) and tfjs never answers.
// In a worker `_scriptDir` is always undefined (it is document.currentScript's src), so the fix replaces those
// two reads with `undefined`. Applied to worker bundles only (vite.config.ts: worker.plugins).
import type { Plugin } from 'vite';

const PATCHES: [string, string][] = [
  ['typeof r15 != "undefined" && r15 && (k = r15)', 'void 0'],
  ['urlOrBlob: u.mainScriptUrlOrBlob || r15,', 'urlOrBlob: u.mainScriptUrlOrBlob,'],
];

export function humanPthreadFix(): Plugin {
  return {
    name: 'sightline-human-pthread-fix',
    apply: 'build',
    transform(code, id) {
      if (!/@vladmandic[\\/]human[\\/]dist[\\/]human\.esm\.js$/.test(id.split('?')[0])) return null;
      let out = code;
      for (const [from, to] of PATCHES) {
        if (!out.includes(from)) {
          this.warn(`human-pthread-fix: '${from}' not found in ${id}; multi-threaded face WASM (?facethreads=2) will not start`);
          return null;
        }
        out = out.replace(from, to);
      }
      return { code: out, map: null };
    },
  };
}
