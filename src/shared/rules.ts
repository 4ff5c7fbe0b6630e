// Content tags derived from labels by the rules table in content-rules.json.
import type { Label } from './types';

export interface RuleClass {
  name: string;
  threshold?: number;
}
export interface RuleCategory {
  id: string;
  label: string;
  legacy?: string;
  priority: number;
  threshold: number;
  classes: RuleClass[];
}
export interface ContentRules {
  version: number;
  minThreshold: number;
  safeTag: string;
  categories: RuleCategory[];
}

export interface TagEvidence {
  category: string;
  label: string;
  prob: number;
  threshold: number;
}
export interface TagResult {
  /** The winning tag (highest-priority category that fired) or the safe tag. */
  tag: string;
  /** Every category that fired, highest priority first. */
  tags: string[];
  evidence: TagEvidence[];
  rulesVersion: number;
}

/** Returns a list of problems; empty when the rules are usable. `known` are the label names of the models. */
export function validateRules(r: ContentRules, known?: Set<string>): string[] {
  const errors: string[] = [];
  if (!Number.isInteger(r.version) || r.version < 1) errors.push('version must be a positive integer');
  const ids = new Set<string>();
  for (const c of r.categories) {
    if (ids.has(c.id)) errors.push(`duplicate category '${c.id}'`);
    ids.add(c.id);
    for (const k of c.classes) {
      const t = k.threshold ?? c.threshold;
      if (!(t >= r.minThreshold && t <= 1)) errors.push(`${c.id}/${k.name}: threshold ${t} outside [${r.minThreshold}, 1]`);
      if (known && !known.has(k.name)) errors.push(`${c.id}: '${k.name}' is not a label of any model`);
    }
  }
  return errors;
}

export function deriveTag(rules: ContentRules, labels: Label[]): TagResult {
  const byName = new Map<string, number>();
  // Several classes may share a name (ImageNet has two 'maillot'): take the sum, they mean the same thing.
  for (const l of labels) byName.set(l.label, (byName.get(l.label) ?? 0) + l.prob);
  const fired: { cat: RuleCategory; ev: TagEvidence[] }[] = [];
  for (const cat of rules.categories) {
    const ev: TagEvidence[] = [];
    for (const k of cat.classes) {
      const prob = byName.get(k.name);
      const threshold = k.threshold ?? cat.threshold;
      if (prob !== undefined && prob >= threshold) ev.push({ category: cat.id, label: k.name, prob, threshold });
    }
    if (ev.length) fired.push({ cat, ev });
  }
  fired.sort((a, b) => b.cat.priority - a.cat.priority);
  return {
    tag: fired[0]?.cat.id ?? rules.safeTag,
    tags: fired.map((f) => f.cat.id),
    evidence: fired.flatMap((f) => f.ev),
    rulesVersion: rules.version,
  };
}
