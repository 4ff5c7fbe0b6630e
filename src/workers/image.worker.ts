/// <reference lib="webworker" />
// Image family worker: header checks, decode (EXIF-oriented), model-input pixels, thumbnail, content hash.
import { expose, transfer } from 'comlink';
import { decode, imageFacts, modelInputPixels, thumbnail } from '../ml/image/decode';
import { readExif } from '../ml/image/exif';
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
        const [facts, exif] = await Promise.all([imageFacts(d.bitmap, d.sniffed.channels), readExif(bytes)]);
        return {
          sha256: d.sha256,
          format: d.sniffed.format,
          bytes: bytes.length,
          width: d.width,
          height: d.height,
          thumb,
          inputs,
          exif,
          facts,
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
