// `node --import ./instrumentation/esm.mjs app.mjs`: hooks ES module loading so that imported
// express, mongodb, … are patched too, then starts the same preload as `-r`.
import { createRequire, register } from 'node:module';

const require = createRequire(import.meta.url);
// Not in obskit's own export thread, where NODE_OPTIONS may load this file again.
if (!require('../dist/instrumentation/export-thread/role.js').isExportThread()) {
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);
  require('./index.js');
}
