// Records shaped like the ones the app pushes (tests and the server benchmark).
import { randomBytes, randomUUID } from 'node:crypto';
import type { SyncRecord } from '../../src/shared/sync.ts';

const LABELS = ['tabby', 'golden retriever', 'espresso', 'mountain bike', 'sports car', 'pizza', 'laptop', 'daisy'];
const OBJECTS = ['person', 'dog', 'cup', 'car', 'bicycle', 'laptop'];

export interface SampleOptions {
  label?: string;
  tag?: string;
  objects?: [string, number][];
  people?: string[];
}

export function sampleRecord(over: Partial<SyncRecord> & SampleOptions = {}): SyncRecord {
  const { label = LABELS[Math.floor(Math.random() * LABELS.length)], tag = 'safe', objects, people, ...rest } = over;
  const r: SyncRecord = {
    id: randomUUID(),
    imageId: randomBytes(32).toString('hex'),
    analysedAt: Date.now() - Math.floor(Math.random() * 5 * 86_400_000),
    source: 'file',
    format: 'jpeg',
    width: 640,
    height: 480,
    bytes: 120_000,
    classification: {
      modelId: 'resnet50-keras-fp16w',
      modelVersion: '1',
      labels: [
        { label, prob: 0.8 },
        { label: 'tiger cat', prob: 0.1 },
        { label: 'Egyptian cat', prob: 0.05 },
        { label: 'lynx', prob: 0.02 },
        { label: 'tabby', prob: 0.01 },
      ],
      tag,
      tags: tag === 'safe' ? [] : [tag],
      rulesVersion: 2,
    },
    ...rest,
  };
  if (objects) r.detection = { modelId: 'yolov8n', modelVersion: '1', objects: objects.map(([l, count]) => ({ label: l, count, maxScore: 0.9 })) };
  if (people) r.faces = people.map((name) => ({ name }));
  return r;
}

/** A mixed record as a busy team would push: a label, sometimes objects and a tag. */
export function randomRecord(): SyncRecord {
  const objects: [string, number][] = Math.random() < 0.5 ? [[OBJECTS[Math.floor(Math.random() * OBJECTS.length)], 1 + Math.floor(Math.random() * 3)]] : [];
  return sampleRecord({ objects, tag: Math.random() < 0.1 ? 'alcohol' : 'safe' });
}
