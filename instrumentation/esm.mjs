// `node --import ./instrumentation/esm.mjs app.mjs`: hooks ES module loading so that imported
// express, mongodb, … are patched too, then starts the same preload as `-r`.
import { createRequire, register } from 'node:module';

register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);
createRequire(import.meta.url)('./index.js');
