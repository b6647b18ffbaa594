// The metric names a PromQL expression reads, for the tests that check rules and dashboards
// against the metrics manifest.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from './stack';

const keywords = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'offset',
  'and',
  'or',
  'unless',
]);

/** What remains once strings, selectors, ranges, groupings and function calls are gone. */
export function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"[^"]*"/g, '')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  return [...bare.matchAll(/\b([a-zA-Z_:][a-zA-Z0-9_:]*)\b(?!\s*\()/g)]
    .map(([, name]) => name ?? '')
    .filter((name) => !keywords.has(name) && !/^\d/.test(name));
}

/** A histogram's series name as its family name. */
export const familyOf = (name: string) => name.replace(/_(bucket|sum|count)$/, '');

export interface Rule {
  expr: string;
  record?: string;
  alert?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** The rule group it is in. */
  group: string;
}

/** Every rule of collectors/prometheus/rules/*.yml, alerts and recording rules. */
export function prometheusRules(): Rule[] {
  const rulesDir = join(repoRoot, 'collectors', 'prometheus', 'rules');
  return readdirSync(rulesDir)
    .filter((f) => f.endsWith('.yml'))
    .flatMap((file) => {
      const { groups } = parse(readFileSync(join(rulesDir, file), 'utf8')) as {
        groups: { name: string; rules: Omit<Rule, 'group'>[] }[];
      };
      return groups.flatMap((g) => g.rules.map((r) => ({ ...r, group: g.name })));
    });
}

/** The comparison an alert's expression ends with, as Prometheus reads `x > 0.05`. */
export function trailingComparison(expr: string): { op: string; value: number } | undefined {
  const found = /(==|>=|<=|>|<)\s*([-+]?[0-9.]+(?:[eE][-+]?\d+)?)\s*$/.exec(expr.trim());
  return found ? { op: found[1] as string, value: Number(found[2]) } : undefined;
}
