// Face identification accuracy on ../shared/data/faces (4 people, 11 photos) in the real browser with the real
// human models: every choice of one enrolment photo per person (3·3·3·2 = 54 galleries), the other photos
// identified by both methods (distance, classifier trained in the faces worker); for false accepts each person
// is left out of the gallery in turn and their photos must come out Unknown. The thresholds are calibrated
// from these attempts with calibrateThreshold (largest threshold with no false accept, halfway to the nearest
// impostor) and must agree with the defaults in src/pipeline/people.ts. Writes bench/results/faces-accuracy.json.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { MethodFigures } from '../../bench/page/faces.ts';
import { filesForPage } from '../../scripts/lib/debug-api.ts';
import { parseCsvObjects } from '../../src/shared/csv.ts';
import { expect, test } from './fixtures.ts';
import { DATA } from './helpers.ts';

const FACES = path.join(DATA, 'faces');
const OUT = path.resolve(import.meta.dirname, '../../bench/results/faces-accuracy.json');

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const row = (f: MethodFigures) =>
  `${f.method.padEnd(10)} ${(f.method === 'distance' ? `≤ ${f.threshold}` : `≥ ${f.threshold}`).padEnd(10)} ${pct(f.accuracy).padStart(8)} ${pct(f.far).padStart(8)}   (${f.genuine} genuine, ${f.impostor} impostor attempts)`;

test('face identification: accuracy and false accepts by both methods, thresholds calibrated near the defaults', async ({ app, debug }) => {
  test.setTimeout(300_000);
  const labels = parseCsvObjects(readFileSync(path.join(FACES, 'labels.csv'), 'utf8'));
  expect(labels).toHaveLength(11);
  const sent = filesForPage(
    labels.map((l) => path.join(FACES, l.file)),
    labels.map((l) => l.file),
  );

  await app.open(undefined, { debug: '', faces: 0 });
  const t0 = Date.now();
  const report = await debug.run(
    async (api, [sent, identities]) => {
      const files = api.files(sent);
      return (await api.bench()).faces.accuracy(files.map((f, i) => ({ file: f.name, identity: identities[i], blob: f })));
    },
    [sent, labels.map((l) => l.identity)] as const,
  );
  const seconds = (Date.now() - t0) / 1000;

  const lines = [
    `faces accuracy on ${labels.length} photos of ${Object.keys(report.identities).length} people, ${report.galleries} galleries (one enrolled photo per person), ${seconds.toFixed(0)} s`,
    `method     threshold  accuracy      FAR`,
    '-- at the defaults (src/pipeline/people.ts)',
    ...report.atDefault.map(row),
    `-- calibrated (calibrateThreshold, max FAR 0): distance ≤ ${report.calibrated.distance}, classifier confidence ≥ ${report.calibrated.minConfidence}`,
    ...report.atCalibrated.map(row),
    '-- sweep',
    ...report.sweep.map(row),
    `distance   genuine ${report.ranges.distance.genuine.join('–')}, impostor ${report.ranges.distance.impostor.join('–')}`,
    `classifier confidence genuine ${report.ranges.classifier.genuine.join('–')}, impostor ${report.ranges.classifier.impostor.join('–')}`,
    `${report.classifiersTrained} classifiers trained in the faces worker in ${(report.trainMs / 1000).toFixed(1)} s`,
  ];
  console.log(lines.join('\n'));
  mkdirSync(path.dirname(OUT), { recursive: true });
  // Only the figures (no timings), so a re-run leaves the committed file unchanged unless the figures change.
  const photosOut = report.photos.map((p) => ({ file: p.file, identity: p.identity, faces: p.faces }));
  writeFileSync(OUT, JSON.stringify({ ...report, trainMs: undefined, photos: photosOut }, null, 2) + '\n');

  // Every photo shows exactly one face the detector finds.
  for (const p of report.photos) expect(p.faces, p.file).toBe(1);
  const [distance, classifier] = report.atDefault;
  expect(distance.genuine).toBe(54 * 7);
  expect(distance.impostor).toBe(54 * 11);
  // Floors at the defaults.
  expect(distance.accuracy).toBeGreaterThanOrEqual(0.9);
  expect(distance.far).toBeLessThanOrEqual(0.1);
  // With one photo per person the classifier's confidences overlap: at no false accepts it names about 2/3.
  expect(classifier.accuracy).toBeGreaterThanOrEqual(0.6);
  expect(classifier.far).toBeLessThanOrEqual(0.05);
  // The defaults are what these figures calibrate to (within a small margin).
  expect(Math.abs(report.calibrated.distance - report.defaults.distance)).toBeLessThanOrEqual(0.03);
  expect(Math.abs(report.calibrated.minConfidence - report.defaults.minConfidence)).toBeLessThanOrEqual(0.05);
});
