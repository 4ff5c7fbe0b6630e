import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLabels } from '../../src/shared/labels';
import { defaultModel, findModel, validateManifest, type ModelManifest } from '../../src/shared/manifest';
import { DATA, loadManifest, ROOT } from './paths';

const MIRROR = path.join(DATA, 'models');
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** `sha256  name` lines of the mirror's sha256sums. */
const mirrorSums = new Map(
  readFileSync(path.join(MIRROR, 'sha256sums'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [hash, name] = l.split(/\s+/);
      return [name, hash] as const;
    }),
);

const ALL_IDS = [
  'resnet50-keras-fp16w',
  'resnet50-keras-fp32',
  'mobilenetv2-12-int8',
  'resnet50-v1-12-int8',
  'yolov8n-int8-640',
  'yolov8n-quant-416',
  'resnet50-keras-int8',
];

describe('models/manifest.json', () => {
  const m = loadManifest();

  it('is valid', () => {
    expect(validateManifest(m)).toEqual([]);
    expect(m.models.map((e) => e.id)).toEqual(ALL_IDS);
  });

  it('each model input matches its resize spec (NCHW, 3 channels, square input of the crop/letterbox size)', () => {
    for (const e of m.models) {
      const r = e.preprocess.resize;
      const side = r.mode === 'shorter-side-crop' ? r.crop : r.size;
      expect(e.input.shape, e.id).toEqual([1, 3, side, side]);
      expect(e.task === 'detection' ? 'letterbox' : 'shorter-side-crop', e.id).toBe(r.mode);
    }
  });

  it('labels files exist, hash to the manifest sha256 and have the declared row count', () => {
    for (const [key, l] of Object.entries(m.labels)) {
      const file = path.join(ROOT, 'models', l.file);
      expect(sha256(file), key).toBe(l.sha256);
      expect(mirrorSums.get(path.basename(l.file)), key).toBe(l.sha256);
      expect(parseLabels(readFileSync(file, 'utf8'), l.column, l.count)).toHaveLength(l.count);
    }
  });

  it('sha256 and size of every model agree with the mirror (sha256sums and file sizes) where the mirror has it', () => {
    let checked = 0;
    for (const e of m.models) {
      const file = path.join(MIRROR, e.file);
      if (!existsSync(file)) {
        expect(e.optional || !!e.derive, `${e.id} is missing from the mirror, so it must be optional or built locally`).toBe(true);
        continue;
      }
      expect(mirrorSums.get(e.file), e.id).toBe(e.sha256);
      expect(statSync(file).size, e.id).toBe(e.size);
      checked++;
    }
    expect(checked).toBe(5);
  });

  it("the small MobileNet file's real sha256 is the manifest's", () => {
    const e = findModel(m, 'mobilenetv2-12-int8');
    expect(sha256(path.join(MIRROR, e.file))).toBe(e.sha256);
  });
});

describe('validateManifest on broken copies', () => {
  const broken = (edit: (m: ModelManifest) => void) => {
    const m = loadManifest();
    edit(m);
    return validateManifest(m);
  };

  it('a bad sha256', () => {
    expect(broken((m) => (m.models[2].sha256 = 'abc123'))).toEqual(['model mobilenetv2-12-int8: sha256 must be 64 hex digits']);
    // upper-case hex is not accepted either (files are compared as lower-case hex)
    expect(broken((m) => (m.models[2].sha256 = m.models[2].sha256.toUpperCase()))).toEqual(['model mobilenetv2-12-int8: sha256 must be 64 hex digits']);
  });

  it('a duplicate id', () => {
    expect(broken((m) => (m.models[3].id = 'resnet50-keras-fp16w'))).toEqual(['model resnet50-keras-fp16w: duplicate id']);
  });

  it('unknown labels', () => {
    expect(broken((m) => (m.models[4].labels = 'coco91'))).toEqual(["model yolov8n-int8-640: unknown labels 'coco91'"]);
  });

  it('std 0', () => {
    expect(broken((m) => (m.models[2].preprocess.std = [0.229, 0, 0.225]))).toEqual(['model mobilenetv2-12-int8: std must not be 0']);
  });

  it('two default classifiers, or none', () => {
    expect(broken((m) => (m.models[1].default = true))).toEqual(['exactly one classification model must be marked default']);
    expect(broken((m) => delete m.models[0].default)).toEqual(['exactly one classification model must be marked default']);
  });

  it('a default detection model does not count against the classification default', () => {
    expect(broken((m) => (m.models[4].default = true))).toEqual([]);
  });

  it('missing id, bad size, a file path that is not a plain .onnx name, a wrong input shape, 2 means', () => {
    expect(broken((m) => (m.models[3].id = ''))).toEqual(['model (no id): missing id']);
    expect(broken((m) => (m.models[3].size = 0))).toEqual(['model resnet50-v1-12-int8: size must be positive']);
    expect(broken((m) => (m.models[3].file = '../evil.onnx'))).toEqual(['model resnet50-v1-12-int8: file must be a plain .onnx name']);
    expect(broken((m) => (m.models[3].file = 'model.bin'))).toEqual(['model resnet50-v1-12-int8: file must be a plain .onnx name']);
    expect(broken((m) => (m.models[3].input.shape = [3, 224, 224]))).toEqual(['model resnet50-v1-12-int8: input shape must be NCHW']);
    expect(broken((m) => (m.models[3].preprocess.mean = [0.5, 0.5] as never))).toEqual(['model resnet50-v1-12-int8: mean/std need 3 values']);
  });

  it('a derived model whose source is unknown or itself derived, or whose recipe path leaves models/', () => {
    const int8 = (m: ModelManifest) => findModel(m, 'resnet50-keras-int8');
    expect(broken((m) => (int8(m).derive!.from = 'resnet51'))).toEqual(["model resnet50-keras-int8: derive.from 'resnet51' is not a model in the manifest"]);
    expect(broken((m) => (int8(m).derive!.from = 'resnet50-keras-int8'))).toEqual([
      "model resnet50-keras-int8: derive.from 'resnet50-keras-int8' is itself derived",
    ]);
    expect(broken((m) => (int8(m).derive!.recipe = '../../etc/passwd.json'))).toEqual([
      'model resnet50-keras-int8: derive.recipe must be a .json path under models/',
    ]);
  });

  it('a batch size that is not a positive integer', () => {
    expect(broken((m) => (m.models[0].input.maxBatch = 0))).toEqual(['model resnet50-keras-fp16w: input.maxBatch must be a positive integer']);
    expect(broken((m) => (m.models[0].input.maxBatch = 2.5))).toEqual(['model resnet50-keras-fp16w: input.maxBatch must be a positive integer']);
  });

  it('reports several problems at once', () => {
    const errors = broken((m) => {
      m.models[0].sha256 = '';
      m.models[5].labels = 'nope';
    });
    expect(errors).toEqual(['model resnet50-keras-fp16w: sha256 must be 64 hex digits', "model yolov8n-quant-416: unknown labels 'nope'"]);
  });
});

describe('findModel / defaultModel', () => {
  const m = loadManifest();

  it('finds by id', () => {
    expect(findModel(m, 'yolov8n-quant-416').file).toBe('yolov8n_quant_416.onnx');
  });

  it('an unknown id throws and lists the known ids', () => {
    expect(() => findModel(m, 'resnet51')).toThrow(`Unknown model 'resnet51'. Known: ${ALL_IDS.join(', ')}`);
  });

  it("defaultModel('classification') is the fp16 Keras ResNet50", () => {
    const e = defaultModel(m, 'classification');
    expect(e.id).toBe('resnet50-keras-fp16w');
    expect(e.default).toBe(true);
  });

  it('without a marked default, the first model of the task', () => {
    expect(defaultModel(m, 'detection').id).toBe('yolov8n-int8-640');
    const noDefault = loadManifest();
    delete noDefault.models[0].default;
    expect(defaultModel(noDefault, 'classification').id).toBe('resnet50-keras-fp16w');
    noDefault.models[2].default = true;
    expect(defaultModel(noDefault, 'classification').id).toBe('mobilenetv2-12-int8');
  });

  it('throws when the manifest has no model for the task', () => {
    const onlyClassifiers = { ...m, models: m.models.filter((e) => e.task === 'classification') };
    expect(() => defaultModel(onlyClassifiers, 'detection')).toThrow('No detection model in the manifest');
  });
});
