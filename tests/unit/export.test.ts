import { describe, expect, it } from 'vitest';
import { parseCsvObjects, parseDelimited } from '../../src/shared/csv';
import { errorsCsv, productCsv, resultsCsv, resultsJson, type ExportRow } from '../../src/shared/export';
import type { ClassificationResult, FileError, ImageRecord, ProductInfo } from '../../src/shared/types';

const sha = (c: string) => c.repeat(64);

const image = (over: Partial<ImageRecord>): ImageRecord => ({
  id: sha('a'),
  name: 'cat.jpg',
  bytes: 12345,
  format: 'jpeg',
  width: 500,
  height: 375,
  addedAt: 1700000000000,
  source: { kind: 'file' },
  ...over,
});

const result = (imageId: string, over: Partial<ClassificationResult> = {}): ClassificationResult => ({
  imageId,
  stage: 'classify',
  stageVersion: 1,
  modelId: 'resnet50-keras-fp16w',
  modelVersion: '1.0.0',
  labels: [
    { index: 907, label: 'wine bottle', prob: 0.61234567 },
    { index: 966, label: 'red wine', prob: 0.2 },
    { index: 440, label: 'beer bottle', prob: 0.05 },
    { index: 901, label: 'whiskey jug', prob: 0.04321 },
    { index: 572, label: 'goblet', prob: 0.00005 },
    { index: 898, label: 'water bottle', prob: 0.00001 },
  ],
  tag: {
    tag: 'alcohol',
    tags: ['alcohol'],
    evidence: [
      { category: 'alcohol', source: 'label', label: 'wine bottle', prob: 0.61234567, threshold: 0.2, weight: 1 },
      { category: 'alcohol', source: 'label', label: 'red wine', prob: 0.2, threshold: 0.2, weight: 1 },
    ],
    rulesVersion: 1,
  },
  backend: 'wasm',
  inferenceMs: 123.6,
  createdAt: 1700000001000,
  ...over,
});

const product: ProductInfo = {
  product_id: 'P-001',
  product_name: 'Rioja, 75 cl "Reserva"',
  placeholder_image_url: 'https://example.com/p/001.jpg',
  local_image_path: 'images/p001.jpg',
};

const RESULT_HEADER = [
  'file_name',
  'top_label',
  'probability',
  'top5',
  'content_tag',
  'tag_evidence',
  'model_id',
  'model_version',
  'objects',
  'detector_id',
  'image_sha256',
  'width',
  'height',
  'camera',
  'date_taken',
  'latitude',
  'longitude',
  'megapixels',
  'dhash',
  'faces',
];

describe('resultsCsv', () => {
  it('plain files: one row per image with the result columns', () => {
    const csv = resultsCsv([{ image: image({}), result: result(sha('a')) }]);
    const rows = parseDelimited(csv);
    expect(rows[0]).toEqual(RESULT_HEADER);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toEqual([
      'cat.jpg',
      'wine bottle',
      '0.6123',
      'wine bottle:0.6123|red wine:0.2000|beer bottle:0.0500|whiskey jug:0.0432|goblet:0.0001',
      'alcohol',
      'wine bottle:0.6123|red wine:0.2000',
      'resnet50-keras-fp16w',
      '1.0.0',
      '',
      '',
      sha('a'),
      '500',
      '375',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
    ]);
    expect(csv.endsWith('\r\n')).toBe(true);
  });

  it('top5 stops at five labels and a safe image has empty evidence', () => {
    const r = result(sha('b'), { tag: { tag: 'safe', tags: [], evidence: [], rulesVersion: 1 } });
    const [row] = parseCsvObjects(resultsCsv([{ image: image({ id: sha('b'), name: 'b.png' }), result: r }]));
    expect(row.top5.split('|')).toHaveLength(5);
    expect(row.top5).not.toContain('water bottle');
    expect(row.content_tag).toBe('safe');
    expect(row.tag_evidence).toBe('');
  });

  it('an image without a result keeps its file columns and leaves the result columns empty', () => {
    const [row] = parseCsvObjects(resultsCsv([{ image: image({ name: 'pending.jpg', width: 10, height: 20 }), result: undefined }]));
    expect(row).toEqual({
      file_name: 'pending.jpg',
      top_label: '',
      probability: '',
      top5: '',
      content_tag: '',
      tag_evidence: '',
      model_id: '',
      model_version: '',
      objects: '',
      detector_id: '',
      image_sha256: sha('a'),
      width: '10',
      height: '20',
      camera: '',
      date_taken: '',
      latitude: '',
      longitude: '',
      megapixels: '',
      dhash: '',
      faces: '',
    });
  });

  it('with a product-list source the product columns come first', () => {
    const rows: ExportRow[] = [
      { image: image({ id: sha('c'), name: 'p001.jpg', source: { kind: 'product-list', product } }), result: result(sha('c')) },
      { image: image({ id: sha('d'), name: 'loose.jpg', source: { kind: 'folder', path: 'shots' } }), result: undefined },
    ];
    const parsed = parseDelimited(resultsCsv(rows));
    expect(parsed[0]).toEqual(['product_id', 'product_name', 'placeholder_image_url', 'local_image_path', ...RESULT_HEADER]);
    expect(parsed[1].slice(0, 6)).toEqual(['P-001', 'Rioja, 75 cl "Reserva"', 'https://example.com/p/001.jpg', 'images/p001.jpg', 'p001.jpg', 'wine bottle']);
    expect(parsed[1]).toHaveLength(24);
    expect(parsed[1][16]).toBe('375');
    // a file that is not from the list: empty product columns, local path = its file name
    expect(parsed[2].slice(0, 5)).toEqual(['', '', '', 'loose.jpg', 'loose.jpg']);
    expect(parsed[2]).toHaveLength(24);
  });

  it('escapes file names and guards formula-like names', () => {
    const csv = resultsCsv([
      { image: image({ name: '=cmd|x.jpg' }), result: undefined },
      { image: image({ name: 'a,b.jpg' }), result: undefined },
    ]);
    const rows = parseDelimited(csv);
    expect(rows[1][0]).toBe("'=cmd|x.jpg");
    expect(rows[2][0]).toBe('a,b.jpg');
    expect(csv).toContain('"a,b.jpg"');
  });
});

describe('productCsv', () => {
  it("writes the seed's four product columns plus content_tag, only for list images", () => {
    const rows: ExportRow[] = [
      { image: image({ id: sha('c'), source: { kind: 'product-list', product } }), result: result(sha('c')) },
      { image: image({ id: sha('d') }), result: result(sha('d')) },
      {
        image: image({ id: sha('e'), source: { kind: 'product-list', product: { ...product, product_id: 'P-002', product_name: 'Bread' } } }),
        result: undefined,
      },
    ];
    const csv = productCsv(rows);
    expect(parseDelimited(csv)).toEqual([
      ['product_id', 'product_name', 'placeholder_image_url', 'local_image_path', 'content_tag'],
      ['P-001', 'Rioja, 75 cl "Reserva"', 'https://example.com/p/001.jpg', 'images/p001.jpg', 'alcohol'],
      ['P-002', 'Bread', 'https://example.com/p/001.jpg', 'images/p001.jpg', ''],
    ]);
    expect(csv.split('\r\n')[1]).toBe('P-001,"Rioja, 75 cl ""Reserva""",https://example.com/p/001.jpg,images/p001.jpg,alcohol');
  });

  it('is just the header without list images', () => {
    expect(productCsv([{ image: image({}), result: undefined }])).toBe('product_id,product_name,placeholder_image_url,local_image_path,content_tag\r\n');
  });
});

describe('errorsCsv', () => {
  it('one row per error: file, code, message', () => {
    const errors: FileError[] = [
      { file: 'empty.jpg', code: 'empty-file', message: 'the file is empty (0 bytes)' },
      { file: 'cut.jpg', code: 'truncated', message: 'JPEG is truncated (no end-of-image marker after the image data)' },
    ];
    expect(errorsCsv(errors)).toBe(
      'file_name,error_code,message\r\n' +
        'empty.jpg,empty-file,the file is empty (0 bytes)\r\n' +
        'cut.jpg,truncated,JPEG is truncated (no end-of-image marker after the image data)\r\n',
    );
    expect(errorsCsv([])).toBe('file_name,error_code,message\r\n');
  });
});

describe('resultsJson', () => {
  it('has images with their classification, and the errors', () => {
    const errors: FileError[] = [{ file: 'x.heic', code: 'unsupported-format', message: 'HEIC' }];
    const json = resultsJson(
      [
        { image: image({ source: { kind: 'product-list', product } }), result: result(sha('a')) },
        { image: image({ id: sha('f'), name: 'todo.jpg' }), result: undefined },
      ],
      errors,
    );
    const doc = JSON.parse(json);
    expect(Object.keys(doc)).toEqual(['exportedAt', 'images', 'errors']);
    expect(new Date(doc.exportedAt).toISOString()).toBe(doc.exportedAt);
    expect(Math.abs(Date.parse(doc.exportedAt) - Date.now())).toBeLessThan(60_000);
    expect(doc.errors).toEqual(errors);
    expect(doc.images).toHaveLength(2);
    const [first, second] = doc.images;
    expect(first).toEqual({
      file: 'cat.jpg',
      sha256: sha('a'),
      format: 'jpeg',
      width: 500,
      height: 375,
      bytes: 12345,
      source: { kind: 'product-list', product },
      exif: null,
      facts: null,
      tag: result(sha('a')).tag,
      classification: {
        modelId: 'resnet50-keras-fp16w',
        modelVersion: '1.0.0',
        stageVersion: 1,
        top5: result(sha('a')).labels.slice(0, 5),
        backend: 'wasm',
        inferenceMs: 124,
      },
    });
    expect(first.classification.top5).toHaveLength(5);
    // no result: the key is left out
    expect(second).toEqual({
      file: 'todo.jpg',
      sha256: sha('f'),
      format: 'jpeg',
      width: 500,
      height: 375,
      bytes: 12345,
      source: { kind: 'file' },
      exif: null,
      facts: null,
    });
    expect('classification' in second).toBe(false);
  });

  it('is pretty-printed with two spaces', () => {
    expect(resultsJson([], [])).toMatch(/^\{\n {2}"exportedAt": "/);
  });
});

describe('detections in exports', () => {
  const detection = {
    imageId: sha('a'),
    stage: 'detect' as const,
    stageVersion: 1,
    modelId: 'yolov8n-int8-640',
    modelVersion: '1.0.0',
    objects: [
      { x: 10.04, y: 20.06, width: 30.55, height: 40, classIndex: 0, label: 'person', score: 0.901234 },
      { x: 1, y: 2, width: 3, height: 4, classIndex: 5, label: 'bus', score: 0.8 },
      { x: 5, y: 6, width: 7, height: 8, classIndex: 0, label: 'person', score: 0.7 },
    ],
    scoreThreshold: 0.25,
    iouThreshold: 0.45,
    backend: 'wasm/2t',
    inferenceMs: 140.4,
    createdAt: 1,
  };
  it('CSV: object counts (most frequent first) and the detector id', () => {
    const [row] = parseCsvObjects(resultsCsv([{ image: image({}), result: result(sha('a')), detection }]));
    expect(row.objects).toBe('person:2|bus:1');
    expect(row.detector_id).toBe('yolov8n-int8-640');
  });
  it('JSON: every box in original pixels with class and score', () => {
    const doc = JSON.parse(resultsJson([{ image: image({}), result: undefined, detection }], []));
    expect(doc.images[0].detection.objects[0]).toEqual({ label: 'person', classIndex: 0, score: 0.9012, x: 10, y: 20.1, width: 30.6, height: 40 });
    expect(doc.images[0].detection.modelId).toBe('yolov8n-int8-640');
  });
  it('a tag re-derived under current rules wins over the stored one', () => {
    const tag = { tag: 'violence', tags: ['violence'], evidence: [], rulesVersion: 3 };
    const [row] = parseCsvObjects(resultsCsv([{ image: image({}), result: result(sha('a')), tag }]));
    expect(row.content_tag).toBe('violence');
  });
});

describe('metadata in exports', () => {
  it('CSV has camera, date, GPS, megapixels and dHash; JSON keeps every EXIF field', () => {
    const exif = {
      make: 'Canon',
      model: 'EOS 40D',
      dateTaken: '2008-05-30T15:56:01',
      gps: { latitude: 43.46, longitude: 11.88 },
      raw: { Make: 'Canon', ISO: 100 },
    };
    const facts = { channels: 3, megapixels: 0.01, palette: [{ hex: '#ff0000', share: 1 }], histogram: [], dhash: '00ff00ff00ff00ff' };
    const [row] = parseCsvObjects(resultsCsv([{ image: image({ exif, facts }), result: undefined }]));
    expect(row).toMatchObject({
      camera: 'Canon EOS 40D',
      date_taken: '2008-05-30T15:56:01',
      latitude: '43.46',
      longitude: '11.88',
      megapixels: '0.01',
      dhash: '00ff00ff00ff00ff',
    });
    const doc = JSON.parse(resultsJson([{ image: image({ exif, facts }), result: undefined }], []));
    expect(doc.images[0].exif.raw).toEqual({ Make: 'Canon', ISO: 100 });
    expect(doc.images[0].facts.palette).toEqual([{ hex: '#ff0000', share: 1 }]);
  });
});

describe('faces in exports', () => {
  const faces = (recognition?: { method: 'distance' | 'classifier'; threshold: number }) => ({
    imageId: sha('a'),
    stage: 'faces' as const,
    stageVersion: 1,
    modelId: 'human-3.3.6-faceres',
    modelVersion: '3.3.6',
    faces: [
      { box: [300.04, 20, 100, 120] as [number, number, number, number], score: 0.98765, name: null, distance: 0.61234 },
      { box: [10, 20.06, 90.55, 100] as [number, number, number, number], score: 0.9, name: 'penny', distance: 0.2 },
    ],
    ...(recognition ? { recognition } : {}),
    backend: 'wasm/human',
    inferenceMs: 180.4,
    createdAt: 1,
  });
  it('CSV: names left to right, Unknown for unrecognised faces', () => {
    const [row] = parseCsvObjects(resultsCsv([{ image: image({}), result: undefined, faces: faces() }]));
    expect(row.faces).toBe('penny|Unknown');
  });
  it('JSON: boxes in original pixels, name, distance and method', () => {
    const doc = JSON.parse(resultsJson([{ image: image({}), result: undefined, faces: faces({ method: 'distance', threshold: 0.47 }) }], []));
    expect(doc.images[0].faces).toMatchObject({ method: 'distance', threshold: 0.47, modelId: 'human-3.3.6-faceres', inferenceMs: 180 });
    expect(doc.images[0].faces.faces[0]).toEqual({
      x: 300,
      y: 20,
      width: 100,
      height: 120,
      score: 0.9877,
      name: 'Unknown',
      method: 'distance',
      distance: 0.6123,
    });
  });
  it('JSON: the classifier gives a confidence (1 − the stored score)', () => {
    const doc = JSON.parse(resultsJson([{ image: image({}), result: undefined, faces: faces({ method: 'classifier', threshold: 0.6 }) }], []));
    expect(doc.images[0].faces.faces[1]).toMatchObject({ name: 'penny', method: 'classifier', confidence: 0.8 });
    expect(doc.images[0].faces.faces[1].distance).toBeUndefined();
  });
});
