// Content tags derived from classifier labels (ImageNet) and detected objects (COCO) by the rules table
// in content-rules.json. Pure: re-deriving tags after a rules change needs no model run.
import type { DetectedObject, Label } from './types';

export interface RuleClass {
  name: string;
  /** Minimum probability (labels) or detection score (objects); defaults to the category's. */
  threshold?: number;
  /** How much this evidence counts towards the category's minScore; default 1 (fires alone). */
  weight?: number;
}
export interface RuleCategory {
  id: string;
  label: string;
  legacy?: string;
  priority: number;
  threshold: number;
  /** Evidence needed for the category to fire (sum of weights); default 1. */
  minScore?: number;
  /** ImageNet class names (classifier labels). */
  classes: RuleClass[];
  /** COCO class names (detected objects). */
  objects?: RuleClass[];
}
export interface ContentRules {
  version: number;
  minThreshold: number;
  safeTag: string;
  categories: RuleCategory[];
}

export interface TagEvidence {
  category: string;
  source: 'label' | 'object';
  label: string;
  prob: number;
  threshold: number;
  weight: number;
}
export interface TagResult {
  /** The winning tag (highest-priority category that fired) or the safe tag. */
  tag: string;
  /** Every category that fired, highest priority first. */
  tags: string[];
  /** Evidence of the categories that fired. */
  evidence: TagEvidence[];
  rulesVersion: number;
}

/** Returns a list of problems; empty when the rules are usable. `labels`/`objects` are the models' class names. */
export function validateRules(r: ContentRules, labels?: Set<string>, objects?: Set<string>): string[] {
  const errors: string[] = [];
  if (!r || typeof r !== 'object' || !Array.isArray(r.categories)) return ['rules must be an object with a categories array'];
  if (!Number.isInteger(r.version) || r.version < 1) errors.push('version must be a positive integer');
  if (!(r.minThreshold > 0 && r.minThreshold < 1)) errors.push('minThreshold must be between 0 and 1');
  if (typeof r.safeTag !== 'string' || !r.safeTag) errors.push('safeTag must be a non-empty string');
  const ids = new Set<string>();
  for (const c of r.categories) {
    if (!c.id || typeof c.id !== 'string') errors.push('every category needs an id');
    if (ids.has(c.id)) errors.push(`duplicate category '${c.id}'`);
    ids.add(c.id);
    if (!Number.isFinite(c.priority)) errors.push(`${c.id}: priority must be a number`);
    if (!Array.isArray(c.classes)) errors.push(`${c.id}: classes must be an array`);
    const check = (k: RuleClass, known: Set<string> | undefined, what: string) => {
      const t = k.threshold ?? c.threshold;
      if (!(t >= r.minThreshold && t <= 1)) errors.push(`${c.id}/${k.name}: threshold ${t} outside [${r.minThreshold}, 1]`);
      if (k.weight !== undefined && !(k.weight > 0)) errors.push(`${c.id}/${k.name}: weight must be positive`);
      if (known && !known.has(k.name)) errors.push(`${c.id}: '${k.name}' is not ${what}`);
    };
    for (const k of c.classes ?? []) check(k, labels, 'a classifier label');
    for (const k of c.objects ?? []) check(k, objects, 'a detector class');
  }
  return errors;
}

export function deriveTag(rules: ContentRules, labels: Label[], objects: DetectedObject[] = []): TagResult {
  const byLabel = new Map<string, number>();
  // Several classes may share a name (ImageNet has two 'maillot'): take the sum, they mean the same thing.
  for (const l of labels) byLabel.set(l.label, (byLabel.get(l.label) ?? 0) + l.prob);
  const byObject = new Map<string, number>();
  for (const o of objects) byObject.set(o.label, Math.max(byObject.get(o.label) ?? 0, o.score));

  const fired: { cat: RuleCategory; ev: TagEvidence[] }[] = [];
  for (const cat of rules.categories) {
    const ev: TagEvidence[] = [];
    const collect = (list: RuleClass[] | undefined, seen: Map<string, number>, source: TagEvidence['source']) => {
      for (const k of list ?? []) {
        const prob = seen.get(k.name);
        const threshold = k.threshold ?? cat.threshold;
        if (prob !== undefined && prob >= threshold) ev.push({ category: cat.id, source, label: k.name, prob, threshold, weight: k.weight ?? 1 });
      }
    };
    collect(cat.classes, byLabel, 'label');
    collect(cat.objects, byObject, 'object');
    const score = ev.reduce((s, e) => s + e.weight, 0);
    if (ev.length && score >= (cat.minScore ?? 1) - 1e-9) fired.push({ cat, ev });
  }
  fired.sort((a, b) => b.cat.priority - a.cat.priority);
  return {
    tag: fired[0]?.cat.id ?? rules.safeTag,
    tags: fired.map((f) => f.cat.id),
    evidence: fired.flatMap((f) => f.ev),
    rulesVersion: rules.version,
  };
}
