// The capacity bench's printed figures: a row per step, the backends' CPU and RSS over a step,
// and the evidence of where a step lost or fell behind.

const f0 = (x) => Math.round(x).toString();
const f1 = (x) => x.toFixed(1);
const pct = (x) => `${Math.round(x * 100)} %`;

export const stepHeader = [
  '| signal | rate | window | made | stored | lost | load kept its rate | app dropped | pipeline counters | on its way at window end | drained in | machine busy | busiest backend |',
  '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
].join('\n');

const busiest = (usage) =>
  [...usage.processes].sort((a, b) => b.core - a.core)[0] ?? { name: '—', core: 0 };

/** One step as a row of the table above. */
export function stepRow(step) {
  const top = busiest(step.usage);
  return [
    '',
    step.signal,
    `${f0(step.rate)}/s`,
    `${step.seconds} s`,
    step.made,
    step.stored,
    step.lost > 0 ? `**${step.lost}**` : step.lost < 0 ? `${step.lost} (stored twice)` : 0,
    `${step.kept ? 'yes' : '**no**'} (${f0(step.achieved)}/s)`,
    step.appDropped,
    step.pipeline.join('; ') || '—',
    `${step.behindAtEnd} (${f1(step.behindAtEnd / step.rate)} s)`,
    `${f1(step.drainMs / 1000)} s`,
    pct(step.usage.machineBusy),
    `${top.name} ${pct(top.core)} of a core`,
    '',
  ]
    .join(' | ')
    .trim();
}

/** Each backend's CPU over the step (window and drain), its share of one core, its peak RSS. */
export function usageTable(step) {
  const rows = [...step.usage.processes]
    .sort((a, b) => b.cpu - a.cpu)
    .map((p) => `| ${p.name} | ${f1(p.cpu)} s | ${pct(p.core)} | ${f0(p.peakRssMb)} MB |`);
  return [
    `over ${f1(step.usage.seconds)} s (the window and the drain); the machine ${pct(step.usage.machineBusy)} busy (both cores); the load processes ${f1(step.loadCpu)} s`,
    '| process | CPU | share of one core | peak RSS |',
    '|---|---|---|---|',
    ...rows,
  ].join('\n');
}

/** What the step that failed shows: where items were lost or held, and what was saturated. */
export function evidence(step) {
  const seen = [];
  if (!step.kept)
    seen.push(
      `the load made ${f0(step.achieved)}/s of ${f0(step.rate)}/s (its CPU or the machine)`,
    );
  if (step.appDropped > 0)
    seen.push(`${step.appDropped} dropped in the apps' queues (counted by obskit)`);
  seen.push(...step.pipeline);
  if (step.lost > 0) seen.push(`${step.lost} of ${step.made} not in Elasticsearch after the drain`);
  else
    seen.push(
      `${step.behindAtEnd} (${f1(step.behindAtEnd / step.rate)} s of the rate) not yet stored at the window's end, all ${f1(step.drainMs / 1000)} s later`,
    );
  const hot = step.usage.processes
    .filter((p) => p.core >= 0.8)
    .map((p) => `${p.name} ${pct(p.core)}`);
  if (hot.length > 0) seen.push(`near or above a core: ${hot.join(', ')}`);
  seen.push(`machine ${pct(step.usage.machineBusy)} busy`);
  return seen.join('; ');
}
