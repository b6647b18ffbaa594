// @opentelemetry/sdk-node with only the HTTP and Express instrumentations, as a careful user
// would hand-pick them; exporter, endpoint and sampler come from the OTEL_* variables.
const { NodeSDK } = require('@opentelemetry/sdk-node');
const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http');
const { ExpressInstrumentation } = require('@opentelemetry/instrumentation-express');

new NodeSDK({
  instrumentations: [new HttpInstrumentation(), new ExpressInstrumentation()],
}).start();
