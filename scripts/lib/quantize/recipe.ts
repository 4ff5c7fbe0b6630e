// A derived model's recipe (models/quant/*.json, committed): which float model it comes from (by sha256), how the
// activation ranges were measured, and the ranges themselves. `npm run models` turns source + recipe into the file.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ModelEntry } from '../../../src/shared/manifest.ts';
import { sha256File } from '../models.ts';
import { quantizeQdq, type Ranges } from './qdq.ts';

export interface Recipe {
  $comment?: string;
  kind: 'qdq-int8';
  source: { id: string; file: string; sha256: string };
  /** Keep the residual stream in float (see qdq.ts). */
  floatResidual?: boolean;
  calibration: { method: 'minmax' | 'mean-minmax'; split: string; images: string[] };
  ranges: Ranges;
  /** Per-channel means of each Conv input (bias correction); absent: no correction. */
  means?: Record<string, number[]>;
}

export function readRecipe(file: string): Recipe {
  let r: Recipe;
  try {
    r = JSON.parse(readFileSync(file, 'utf8')) as Recipe;
  } catch (e) {
    throw new Error(`recipe ${file} cannot be read (${(e as Error).message})`, { cause: e });
  }
  if (r.kind !== 'qdq-int8') throw new Error(`recipe ${file}: unknown kind ${JSON.stringify(r.kind)}`);
  if (!/^[0-9a-f]{64}$/.test(r.source?.sha256 ?? '')) throw new Error(`recipe ${file}: source.sha256 is missing`);
  if (!r.ranges || typeof r.ranges !== 'object') throw new Error(`recipe ${file}: ranges are missing`);
  return r;
}

/** Builds the derived model from the source file's bytes; refuses a source other than the one the ranges were measured on. */
export function buildFromRecipe(recipeFile: string, source: Uint8Array, sourceSha256: string): Uint8Array {
  const r = readRecipe(recipeFile);
  if (sourceSha256 !== r.source.sha256)
    throw new Error(
      `${path.basename(recipeFile)} was calibrated on ${r.source.file} with sha256 ${r.source.sha256.slice(0, 12)}…, got ${sourceSha256.slice(0, 12)}…`,
    );
  return quantizeQdq(
    source,
    { ranges: r.ranges, means: r.means },
    {
      metadata: {
        source: `${r.source.file} sha256 ${r.source.sha256}`,
        quantization: `QDQ: uint8 activations per tensor, int8 symmetric weights per output channel, int32 bias${r.floatResidual ? ', float residual stream' : ''}`,
        calibration: `${r.calibration.method} over ${r.calibration.images.length} images (${r.calibration.split})`,
      },
      floatResidual: r.floatResidual,
    },
  );
}

/** fetchModels' `derive` for the repository at `root`: the recipe path in the manifest is relative to models/. */
export const deriveIn =
  (root: string) =>
  async (e: ModelEntry, sourceFile: string): Promise<Uint8Array> =>
    buildFromRecipe(path.join(root, 'models', e.derive!.recipe), readFileSync(sourceFile), await sha256File(sourceFile));
