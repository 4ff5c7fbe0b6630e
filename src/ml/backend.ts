// Backend choice: WebGPU when an adapter exists, else WASM with threads when the page is cross-origin
// isolated (SharedArrayBuffer), else single-threaded WASM. The reason is reported to the diagnostics panel.
import type * as OrtModule from 'onnxruntime-web';
import type { BackendInfo, BackendPreference } from '../workers/api';

export type Ort = typeof OrtModule;

async function webgpuAdapter(): Promise<string | null> {
  if (!('gpu' in navigator) || !navigator.gpu) return null;
  try {
    const a = await navigator.gpu.requestAdapter();
    if (!a) return null;
    const i = a.info;
    return [i.vendor, i.architecture, i.description].filter(Boolean).join(' ') || 'unnamed adapter';
  } catch {
    return null;
  }
}

export async function loadRuntime(pref: BackendPreference, threads?: number): Promise<{ ort: Ort; eps: string[]; info: BackendInfo }> {
  const coi = self.crossOriginIsolated;
  const adapter = pref === 'wasm' ? null : await webgpuAdapter();
  const wantThreads = coi ? Math.max(1, threads ?? Math.min(4, navigator.hardwareConcurrency || 1)) : 1;
  const threadReason = coi ? `${wantThreads} WASM threads` : 'not cross-origin isolated, so WASM runs single-threaded';
  if (adapter) {
    // The WebGPU build is twice the size and slower to start: import it only when it will be used.
    const ort = (await import('onnxruntime-web/webgpu')) as Ort;
    const wasm = (await import('onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url')).default;
    ort.env.wasm.wasmPaths = { wasm };
    ort.env.wasm.numThreads = wantThreads;
    const info: BackendInfo = {
      backend: 'webgpu',
      threads: wantThreads,
      reason: `WebGPU adapter found (${adapter}); CPU fallback: ${threadReason}`,
      crossOriginIsolated: coi,
      webgpuAdapter: adapter,
      ortVersion: ort.env.versions.web ?? '?',
    };
    return { ort, eps: ['webgpu', 'wasm'], info };
  }
  const ort = (await import('onnxruntime-web/wasm')) as Ort;
  const wasm = (await import('onnxruntime-web/ort-wasm-simd-threaded.wasm?url')).default;
  ort.env.wasm.wasmPaths = { wasm };
  // Must be set before the first session: ORT's default is 1 thread on a 2-core machine.
  ort.env.wasm.numThreads = wantThreads;
  const why = pref === 'wasm' ? 'WASM requested' : 'no WebGPU adapter';
  const info: BackendInfo = {
    backend: 'wasm',
    threads: wantThreads,
    reason: `${why}; ${threadReason}`,
    crossOriginIsolated: coi,
    webgpuAdapter: null,
    ortVersion: ort.env.versions.web ?? '?',
  };
  return { ort, eps: ['wasm'], info };
}
