// The backends' processes as the stack's supervisor left them (a pid file per member in the run
// directory), each with its descendants (Elasticsearch's launcher starts the server JVM): CPU
// seconds and peak RSS over a step, and how busy the whole machine was meanwhile.

import { readdirSync, readFileSync } from 'node:fs';
import { cpuSeconds } from '../harness.mjs';

/** Every member of every backend that runs now, as { name, pid }. */
export function runningBackends(config, runningPidIn) {
  return config.backends
    .flatMap((backend) => backend.members.map((member) => member.name))
    .map((name) => ({ name, pid: runningPidIn(config.runDir, name) }))
    .filter(({ pid }) => pid !== undefined);
}

const read = (path) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

/** `pid` and every process below it, from /proc/<pid>/task/<tid>/children. */
function treeOf(pid) {
  const tasks = (() => {
    try {
      return readdirSync(`/proc/${pid}/task`);
    } catch {
      return [];
    }
  })();
  const children = tasks.flatMap((tid) =>
    (read(`/proc/${pid}/task/${tid}/children`) ?? '').split(' ').filter(Boolean).map(Number),
  );
  return [pid, ...children.flatMap(treeOf)];
}

const treeCpu = (pid) =>
  treeOf(pid).reduce((sum, p) => {
    try {
      return sum + cpuSeconds(p);
    } catch {
      return sum;
    }
  }, 0);

const treeRssMb = (pid) =>
  treeOf(pid).reduce((sum, p) => {
    const kb = /VmRSS:\s+(\d+)/.exec(read(`/proc/${p}/status`) ?? '')?.[1];
    return sum + (kb ? Number(kb) / 1024 : 0);
  }, 0);

/** Busy and total jiffies of all cores together (/proc/stat; idle and iowait are not busy). */
function machineTicks() {
  const [, ...fields] = (read('/proc/stat') ?? '').split('\n')[0].trim().split(/\s+/);
  const values = fields.map(Number);
  const total = values.reduce((a, b) => a + b, 0);
  return { busy: total - values[3] - values[4], total };
}

/**
 * Starts watching `backends`: their RSS every second. `stop()` gives, per backend, CPU seconds,
 * the share of one core it used over the wall time, and its peak RSS; and the machine's busy share.
 */
export function watch(backends) {
  const started = performance.now();
  const machine = machineTicks();
  const state = backends.map(({ name, pid }) => ({ name, pid, cpu: treeCpu(pid), peak: 0 }));
  const sample = () => {
    for (const s of state) s.peak = Math.max(s.peak, treeRssMb(s.pid));
  };
  sample();
  const timer = setInterval(sample, 1000);
  return {
    stop() {
      clearInterval(timer);
      sample();
      const seconds = (performance.now() - started) / 1000;
      const now = machineTicks();
      const busy = (now.busy - machine.busy) / (now.total - machine.total);
      const processes = state.map((s) => {
        const cpu = treeCpu(s.pid) - s.cpu;
        return { name: s.name, cpu, core: cpu / seconds, peakRssMb: s.peak };
      });
      return { seconds, machineBusy: busy, processes };
    },
  };
}
