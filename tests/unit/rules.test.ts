import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLabels } from '../../src/shared/labels';
import { deriveTag, validateRules, type ContentRules } from '../../src/shared/rules';
import type { Label } from '../../src/shared/types';
import { loadManifest, loadRules, ROOT } from './paths';

const imagenet = parseLabels(readFileSync(path.join(ROOT, 'models/labels/imagenet1000_classes.csv'), 'utf8'), 'name', 1000);
const rules = loadRules();

/** Labels as a classifier would report them: real ImageNet indices. */
const L = (label: string, prob: number, index = imagenet.indexOf(label)): Label => ({ index, label, prob });

describe('the shipped content rules', () => {
  it('are valid', () => {
    expect(validateRules(rules)).toEqual([]);
  });

  it('only name classes that exist in the ImageNet labels file', () => {
    expect(imagenet).toHaveLength(1000);
    expect(imagenet[0]).toBe('tench');
    expect(imagenet[907]).toBe('wine bottle');
    expect(validateRules(rules, new Set(imagenet))).toEqual([]);
    const missing = rules.categories.flatMap((c) => c.classes.map((k) => k.name)).filter((n) => !imagenet.includes(n));
    expect(missing).toEqual([]);
  });

  it('uses the labels file the manifest names for the classifiers', () => {
    const m = loadManifest();
    expect(m.labels.imagenet1000.file).toBe('labels/imagenet1000_classes.csv');
    expect(m.models.filter((e) => e.task === 'classification').every((e) => e.labels === 'imagenet1000')).toBe(true);
  });

  it('every threshold is at least minThreshold so tags can be re-derived from the stored top-20', () => {
    expect(rules.minThreshold).toBe(0.05);
    for (const c of rules.categories) for (const k of c.classes) expect(k.threshold ?? c.threshold, `${c.id}/${k.name}`).toBeGreaterThanOrEqual(0.05);
  });
});

describe('deriveTag', () => {
  it("is 'safe' when nothing fires", () => {
    expect(deriveTag(rules, [])).toEqual({ tag: 'safe', tags: [], evidence: [], rulesVersion: 2 });
    expect(deriveTag(rules, [L('tabby', 0.9), L('tiger cat', 0.05)])).toEqual({ tag: 'safe', tags: [], evidence: [], rulesVersion: 2 });
  });

  it("'wine bottle' above the alcohol threshold (0.2) tags alcohol, with evidence", () => {
    expect(deriveTag(rules, [L('wine bottle', 0.62), L('red wine', 0.1), L('goblet', 0.08)])).toEqual({
      tag: 'alcohol',
      tags: ['alcohol'],
      evidence: [{ category: 'alcohol', source: 'label', label: 'wine bottle', prob: 0.62, threshold: 0.2, weight: 1 }],
      rulesVersion: 2,
    });
  });

  it('the threshold is inclusive; just below stays safe', () => {
    expect(deriveTag(rules, [L('wine bottle', 0.2)]).tag).toBe('alcohol');
    expect(deriveTag(rules, [L('wine bottle', 0.19)]).tag).toBe('safe');
    expect(deriveTag(rules, [L('wine bottle', 0.1999)]).evidence).toEqual([]);
  });

  it('a per-class threshold overrides the category threshold', () => {
    // eggnog needs 0.35 although the alcohol category says 0.2
    expect(deriveTag(rules, [L('eggnog', 0.3)]).tag).toBe('safe');
    expect(deriveTag(rules, [L('eggnog', 0.35)]).evidence).toEqual([
      { category: 'alcohol', source: 'label', label: 'eggnog', prob: 0.35, threshold: 0.35, weight: 1 },
    ]);
    // rifle fires at 0.15 although violence says 0.2
    expect(deriveTag(rules, [L('rifle', 0.16)]).tag).toBe('violence');
  });

  it('violence beats alcohol when both fire, whatever the label order', () => {
    const labels = [L('wine bottle', 0.5), L('assault rifle', 0.3)];
    const t = deriveTag(rules, labels);
    expect(t.tag).toBe('violence');
    expect(t.tags).toEqual(['violence', 'alcohol']);
    expect(t.evidence).toEqual([
      { category: 'violence', source: 'label', label: 'assault rifle', prob: 0.3, threshold: 0.15, weight: 1 },
      { category: 'alcohol', source: 'label', label: 'wine bottle', prob: 0.5, threshold: 0.2, weight: 1 },
    ]);
    expect(deriveTag(rules, [...labels].reverse())).toEqual(t);
  });

  it('lists every firing class and every firing category, highest priority first', () => {
    const t = deriveTag(rules, [L('bikini', 0.31), L('beer bottle', 0.25), L('beer glass', 0.21), L('syringe', 0.26)]);
    expect(t.tag).toBe('drugs-tobacco');
    expect(t.tags).toEqual(['drugs-tobacco', 'alcohol', 'nudity-risk']);
    expect(t.evidence.map((e) => `${e.category}:${e.label}`)).toEqual([
      'drugs-tobacco:syringe',
      'alcohol:beer bottle',
      'alcohol:beer glass',
      'nudity-risk:bikini',
    ]);
  });

  it("sums classes that share a name (ImageNet has two 'maillot')", () => {
    expect(imagenet.filter((n) => n === 'maillot')).toHaveLength(2);
    const first = imagenet.indexOf('maillot');
    const second = imagenet.indexOf('maillot', first + 1);
    expect([first, second]).toEqual([638, 639]);
    // each alone is below the 0.3 threshold of nudity-risk; together 0.35
    expect(deriveTag(rules, [L('maillot', 0.2, first)]).tag).toBe('safe');
    const t = deriveTag(rules, [L('maillot', 0.2, first), L('maillot', 0.15, second)]);
    expect(t.tag).toBe('nudity-risk');
    expect(t.evidence).toHaveLength(1);
    expect(t.evidence[0]).toMatchObject({ category: 'nudity-risk', label: 'maillot', threshold: 0.3 });
    expect(t.evidence[0].prob).toBeCloseTo(0.35, 10);
  });

  it('priority comes from the priority field, not the order of the categories', () => {
    const custom: ContentRules = {
      version: 7,
      minThreshold: 0.05,
      safeTag: 'ok',
      categories: [
        { id: 'low', label: 'Low', priority: 1, threshold: 0.1, classes: [{ name: 'x' }] },
        { id: 'high', label: 'High', priority: 50, threshold: 0.1, classes: [{ name: 'y' }] },
      ],
    };
    expect(deriveTag(custom, [L('x', 0.5, 0), L('y', 0.2, 1)])).toMatchObject({ tag: 'high', tags: ['high', 'low'], rulesVersion: 7 });
    expect(deriveTag(custom, [L('z', 1, 2)])).toEqual({ tag: 'ok', tags: [], evidence: [], rulesVersion: 7 });
  });
});

describe('validateRules', () => {
  it('reports a threshold below minThreshold', () => {
    const r = loadRules();
    r.categories.find((c) => c.id === 'alcohol')!.classes.find((k) => k.name === 'wine bottle')!.threshold = 0.01;
    expect(validateRules(r)).toEqual(['alcohol/wine bottle: threshold 0.01 outside [0.05, 1]']);
  });

  it('reports a category threshold below minThreshold for each class using it', () => {
    const r = loadRules();
    r.categories.find((c) => c.id === 'drugs-tobacco')!.threshold = 0.04;
    // 'pill bottle' has its own threshold (0.4), so only two classes inherit the bad one
    expect(validateRules(r)).toEqual([
      'drugs-tobacco/syringe: threshold 0.04 outside [0.05, 1]',
      'drugs-tobacco/tobacco shop: threshold 0.04 outside [0.05, 1]',
    ]);
  });

  it('reports thresholds above 1, duplicate categories, a bad version and unknown class names', () => {
    const r = loadRules();
    r.version = 0;
    r.categories[0].classes[0].threshold = 1.5;
    r.categories.push({ ...r.categories[1] });
    r.categories[2].classes.push({ name: 'wine botle' });
    expect(validateRules(r, new Set(imagenet))).toEqual([
      'version must be a positive integer',
      'violence/assault rifle: threshold 1.5 outside [0.05, 1]',
      "alcohol: 'wine botle' is not a classifier label",
      "duplicate category 'drugs-tobacco'",
    ]);
  });

  it('without a set of known labels, class names are not checked', () => {
    const r = loadRules();
    r.categories[0].classes.push({ name: 'no such class' });
    expect(validateRules(r)).toEqual([]);
    expect(validateRules(r, new Set(imagenet))).toEqual(["violence: 'no such class' is not a classifier label"]);
  });
});

describe('objects (COCO) as evidence, with weights', () => {
  const coco = parseLabels(readFileSync(path.join(ROOT, 'models/labels/coco80_classes.csv'), 'utf8'), 'name', 80);
  const O = (label: string, score: number) => ({ x: 0, y: 0, width: 10, height: 10, classIndex: coco.indexOf(label), label, score });

  it('every object name in the shipped rules is a COCO class', () => {
    expect(validateRules(rules, new Set(imagenet), new Set(coco))).toEqual([]);
    expect(rules.categories.some((c) => (c.objects ?? []).length > 0)).toBe(true);
  });

  it('weak object evidence alone does not fire; together with more it does (wine glass + bottle + wine bottle label)', () => {
    expect(deriveTag(rules, [], [O('bottle', 0.9)]).tag).toBe('safe');
    expect(deriveTag(rules, [], [O('wine glass', 0.8), O('bottle', 0.7)]).tag).toBe('safe'); // 0.5 + 0.3 < 1
    const t = deriveTag(rules, [L('wine bottle', 0.3)], [O('wine glass', 0.8), O('bottle', 0.7)]);
    expect(t.tag).toBe('alcohol');
    expect(t.evidence.map((e) => `${e.source}:${e.label}`)).toEqual(['label:wine bottle', 'object:wine glass', 'object:bottle']);
  });

  it('knife + rifle raise violence; a knife alone (a kitchen) does not', () => {
    expect(deriveTag(rules, [], [O('knife', 0.9)]).tag).toBe('safe');
    expect(deriveTag(rules, [L('rifle', 0.1)], [O('knife', 0.9)]).tag).toBe('safe'); // rifle below its 0.15 threshold
    const t = deriveTag(rules, [L('rifle', 0.16)], [O('knife', 0.9)]);
    expect(t.tag).toBe('violence');
    expect(t.evidence.find((e) => e.source === 'object')).toMatchObject({ label: 'knife', prob: 0.9, threshold: 0.4, weight: 0.6 });
  });

  it('the best score of several objects of a class counts once; below threshold counts nothing', () => {
    const t = deriveTag(rules, [L('goblet', 0.3)], [O('wine glass', 0.35), O('wine glass', 0.6), O('wine glass', 0.5)]);
    // goblet 0.5 + wine glass 0.5 = 1
    expect(t.tag).toBe('alcohol');
    expect(t.evidence.filter((e) => e.label === 'wine glass')).toHaveLength(1);
    expect(t.evidence.find((e) => e.label === 'wine glass')!.prob).toBe(0.6);
    expect(deriveTag(rules, [L('goblet', 0.3)], [O('wine glass', 0.39)]).tag).toBe('safe');
  });

  it('validateRules reports unknown object names and non-positive weights', () => {
    const r = loadRules();
    r.categories.find((c) => c.id === 'alcohol')!.objects!.push({ name: 'beer can', weight: 0 });
    expect(validateRules(r, undefined, new Set(coco))).toEqual(['alcohol/beer can: weight must be positive', "alcohol: 'beer can' is not a detector class"]);
  });
});
