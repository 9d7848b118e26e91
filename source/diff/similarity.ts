/**
 * Ranking of rename candidates: type compatibility first, then how alike the
 * names are. drizzle-kit lists candidates unranked; ranking puts the likely
 * rename first so the common case is one keypress.
 */
import { normalizeType } from './normalize.js';

/** 0..1, 1 for equal strings (Levenshtein distance over the longer length). */
export function nameSimilarity(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (x === y) return 1;
  const prev = Array.from({ length: y.length + 1 }, (_, i) => i);
  for (let i = 1; i <= x.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= y.length; j++) {
      const up = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (x[i - 1] === y[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  const distance = prev[y.length];
  let score = 1 - distance / Math.max(x.length, y.length);
  // One name containing the other (full_name → name) is a strong hint.
  if (x.includes(y) || y.includes(x)) score = Math.max(score, 0.6);
  return score;
}

type Family = 'int' | 'numeric' | 'text' | 'time' | 'bool' | 'json' | 'other';

function family(type: string): Family {
  const t = normalizeType(type).replace(/\(.*\)/, '');
  if (t.endsWith('[]')) return 'other';
  if (['smallint', 'integer', 'bigint'].includes(t)) return 'int';
  if (['numeric', 'real', 'double precision'].includes(t)) return 'numeric';
  if (['text', 'character varying', 'character', 'citext'].includes(t)) return 'text';
  if (t.startsWith('timestamp') || t === 'date' || t.startsWith('time')) return 'time';
  if (t === 'boolean') return 'bool';
  if (t === 'json' || t === 'jsonb') return 'json';
  return 'other';
}

/** 1 for the same type, 0.5 for the same family, 0 when a rename would need a conversion. */
export function typeCompatibility(a: string, b: string): number {
  if (normalizeType(a) === normalizeType(b)) return 1;
  const fa = family(a);
  const fb = family(b);
  if (fa === fb && fa !== 'other') return 0.5;
  if ((fa === 'int' && fb === 'numeric') || (fa === 'numeric' && fb === 'int')) return 0.5;
  return 0;
}

/** Overlap of two sets of names (Jaccard), for tables (column names) and enums (values). */
export function overlap(a: readonly string[], b: readonly string[]): number {
  const sa = new Set(a);
  const sb = new Set(b);
  let common = 0;
  for (const v of sa) if (sb.has(v)) common++;
  const union = sa.size + sb.size - common;
  return union === 0 ? 1 : common / union;
}
