/// <reference lib="webworker" />
// Image family worker: header checks, decode (EXIF-oriented), model-input pixels, thumbnail, content hash.
import { expose, transfer } from 'comlink';
import { decode, imageFacts, modelInputPixels, placeholderThumbnail, sha256Hex, thumbnail, type Decoded } from '../ml/image/decode';
import { readExif } from '../ml/image/exif';
import { FORMAT_NAMES, metadataOnly } from '../ml/image/metadata-only';
import { UndecodableFormatError } from '../ml/image/sniff';
import type { ImageApi, PreparedImage } from './api';
import { outcome } from './outcome';

/** A recognised format the browser cannot decode: its metadata only, or the error when that is unreadable too. */
async function prepareMetadataOnly(bytes: Uint8Array<ArrayBuffer>, e: UndecodableFormatError, t0: number): Promise<PreparedImage> {
  const exif = await readExif(bytes);
  const m = metadataOnly(e, exif);
  return {
    sha256: await sha256Hex(bytes),
    format: m.format,
    bytes: bytes.length,
    width: m.width,
    height: m.height,
    thumb: await placeholderThumbnail(FORMAT_NAMES[m.format], m.width, m.height),
    inputs: [],
    exif,
    decodeMs: performance.now() - t0,
    metadataOnly: m.note,
  };
}

const api: ImageApi = {
  async prepare(file, resizes, limits) {
    const res = await outcome(async (): Promise<PreparedImage> => {
      const t0 = performance.now();
      const bytes = new Uint8Array(await file.arrayBuffer());
      let d: Decoded;
      try {
        d = await decode(bytes, limits);
      } catch (e) {
        if (e instanceof UndecodableFormatError) return prepareMetadataOnly(bytes, e, t0);
        throw e;
      }
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
