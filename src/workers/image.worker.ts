/// <reference lib="webworker" />
// Image family worker: header checks, decode (EXIF-oriented), model-input pixels, thumbnail, content hash.
import { expose, transfer } from 'comlink';
import { decode, modelInputPixels, thumbnail } from '../ml/image/decode';
import type { ImageApi, PreparedImage } from './api';
import { outcome } from './outcome';

const api: ImageApi = {
  async prepare(file, resizes, limits) {
    const res = await outcome(async (): Promise<PreparedImage> => {
      const t0 = performance.now();
      const bytes = new Uint8Array(await file.arrayBuffer());
      const d = await decode(bytes, limits);
      try {
        const inputs = [];
        for (const r of resizes) inputs.push(await modelInputPixels(d.bitmap, r));
        const thumb = await thumbnail(d.bitmap);
        return {
          sha256: d.sha256,
          format: d.sniffed.format,
          bytes: bytes.length,
          width: d.width,
          height: d.height,
          thumb,
          inputs,
          decodeMs: performance.now() - t0,
        };
      } finally {
        d.bitmap.close();
      }
    }, 'decode-failed');
    return res.ok
      ? transfer(
          res,
          res.value.inputs.map((i) => i.rgba.buffer),
        )
      : res;
  },
  crash() {
    setTimeout(() => {
      throw new Error('simulated crash');
    });
  },
};

expose(api);
