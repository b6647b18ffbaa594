// Loaded before the app by bench/allocation.mjs: V8's sampling heap profiler counts every
// allocation, those the GC has collected since included, from BENCH_SAMPLE_FROM on; at SIGTERM
// the profile goes to BENCH_ALLOCATION_PROFILE and the process exits.
const { Session } = require('node:inspector');
const { writeFileSync } = require('node:fs');

const session = new Session();
session.connect();
process.on('SIGUSR2', () =>
  session.post('HeapProfiler.startSampling', {
    samplingInterval: 512,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  }),
);
process.once('SIGTERM', () =>
  session.post('HeapProfiler.stopSampling', (error, result) => {
    if (!error) writeFileSync(process.env.BENCH_ALLOCATION_PROFILE, JSON.stringify(result.profile));
    process.exit(0);
  }),
);
