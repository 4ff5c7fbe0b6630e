// Bench and accuracy code that runs in the page: loaded on demand by the ?debug API's bench() (src/debug/), a
// separate chunk the app itself never loads.
import type { Engine } from '../../src/pipeline/engine';
import * as analytics from './analytics';
import { facesBench } from './faces';

export function pageBench(engine: Engine) {
  return { analytics, faces: facesBench(engine) };
}
export type PageBench = ReturnType<typeof pageBench>;
