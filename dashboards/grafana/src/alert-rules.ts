// The alert rules of collectors/prometheus/rules, read when the dashboards are generated, so
// that a panel draws the line its alert fires at from the rule itself, never a second copy.

import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

export interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** The package root, from dist/dashboards/grafana/src where the generator runs. */
const rulesDir = resolve(__dirname, '..', '..', '..', '..', 'collectors', 'prometheus', 'rules');

let cached: AlertRule[] | undefined;

/** Every alert rule of every rule file, in file order. */
export function alertRules(dir = rulesDir): AlertRule[] {
  if (dir === rulesDir && cached) return cached;
  const rules = readdirSync(dir)
    .filter((file) => file.endsWith('.yml'))
    .sort()
    .flatMap((file) => {
      const { groups } = parse(readFileSync(join(dir, file), 'utf8')) as {
        groups: { rules: (AlertRule & { record?: string })[] }[];
      };
      return groups.flatMap((g) => g.rules).filter((r) => r.alert);
    });
  if (dir === rulesDir) cached = rules;
  return rules;
}

/** The comparison an alert's expression ends with: `> 0.05`, `== 0`. */
export interface Comparison {
  op: '>' | '>=' | '<' | '<=' | '==';
  value: number;
}

export function comparisonOf(expr: string): Comparison | undefined {
  const found = /(>=|<=|==|>|<)\s*(-?[\d.]+(?:e-?\d+)?)\s*$/.exec(expr.trim());
  if (!found) return undefined;
  return { op: found[1] as Comparison['op'], value: Number(found[2]) };
}

/** The number the named alert compares with; a rule file without it fails the generation. */
export function alertThreshold(name: string): number {
  const rule = alertRules().find((r) => r.alert === name);
  const comparison = rule && comparisonOf(rule.expr);
  if (!comparison) throw new Error(`no alert ${name} ending in a comparison in ${rulesDir}`);
  return comparison.value;
}
