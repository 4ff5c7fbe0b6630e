// The stage table: what runs, after what, where, and at which version. Stored results record the
// version of the stage that produced them, so a newer stage knows what to redo.
import rulesJson from '../shared/content-rules.json';
import type { ContentRules } from '../shared/rules';

export const contentRules = rulesJson as unknown as ContentRules;

export type StageId = 'decode' | 'classify' | 'detect' | 'faces' | 'tag' | 'store';

export interface Stage {
  id: StageId;
  dependsOn: StageId[];
  runsIn: 'image worker' | 'inference worker' | 'faces worker' | 'main thread';
  version: number;
  what: string;
}

export const STAGES: readonly Stage[] = [
  { id: 'decode', dependsOn: [], runsIn: 'image worker', version: 1, what: 'header checks, EXIF-oriented decode, content hash, thumbnail, model-input pixels' },
  {
    id: 'classify',
    dependsOn: ['decode'],
    runsIn: 'inference worker',
    version: 1,
    what: 'preprocess per manifest, ONNX classification, top-20 labels, embedding',
  },
  {
    id: 'detect',
    dependsOn: ['decode'],
    runsIn: 'inference worker',
    version: 1,
    what: 'letterbox per manifest, YOLOv8 detection, class-wise NMS, boxes in original pixels',
  },
  {
    id: 'faces',
    dependsOn: ['decode'],
    runsIn: 'faces worker',
    version: 1,
    what: 'human: blazeface detection, facemesh alignment, faceres 1024-d descriptor, face crops; recognition against the people gallery',
  },
  {
    id: 'tag',
    dependsOn: ['classify', 'detect'],
    runsIn: 'main thread',
    version: contentRules.version,
    what: 'content tag from labels and objects via the rules table',
  },
  { id: 'store', dependsOn: ['decode', 'classify', 'detect', 'faces', 'tag'], runsIn: 'main thread', version: 1, what: 'one IndexedDB transaction per image' },
];

export const stageVersion = (id: StageId): number => STAGES.find((s) => s.id === id)!.version;
