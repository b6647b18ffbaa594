// throwaway prototype: lean server span
const { context, trace, propagation, SpanKind, ROOT_CONTEXT } = require('@opentelemetry/api');
const { AsyncLocalStorageContextManager } = require('@opentelemetry/context-async-hooks');
const {
  W3CTraceContextPropagator,
  setRPCMetadata,
  RPCType,
  getRPCMetadata,
} = require('@opentelemetry/core');
const { TracerProvider } = require('@opentelemetry/sdk-trace');
const { BoundedBatchSpanProcessor } = require('./dist/instrumentation/batch-processor');
const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-proto');
const exporter = process.env.NOEXPORT
  ? { export: (s, cb) => cb({ code: 0 }), shutdown: async () => {} }
  : new OTLPTraceExporter({ url: process.env.OTEL_EXPORTER_OTLP_ENDPOINT + '/v1/traces' });
const provider = new TracerProvider({
  spanProcessors: [
    new BoundedBatchSpanProcessor(
      exporter,
      {
        scheduleDelayMs: 5000,
        exportTimeoutMs: 30000,
        maxQueueSize: 2048,
        maxExportBatchSize: 512,
      },
      () => {},
    ),
  ],
});
trace.setGlobalTracerProvider(provider);
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
propagation.setGlobalPropagator(new W3CTraceContextPropagator());
const tracer = trace.getTracer('proto');
const http = require('http');
const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function (event, req, res) {
  if (event !== 'request') return emit.apply(this, arguments);
  const parent = propagation.extract(ROOT_CONTEXT, req.headers);
  const url = req.url;
  const q = url.indexOf('?');
  const span = tracer.startSpan(
    req.method,
    {
      kind: SpanKind.SERVER,
      attributes: {
        'http.request.method': req.method,
        'url.scheme': 'http',
        'url.path': q < 0 ? url : url.slice(0, q),
        'server.address': req.headers.host,
        'network.protocol.version': req.httpVersion,
        'user_agent.original': req.headers['user-agent'],
        'client.address': req.socket.remoteAddress,
      },
    },
    parent,
  );
  const rpc = { type: RPCType.HTTP, span };
  res.once('finish', () => {
    span.setAttribute('http.response.status_code', res.statusCode);
    if (rpc.route) {
      span.setAttribute('http.route', rpc.route);
      span.updateName(`${req.method} ${rpc.route}`);
    }
    span.end();
  });
  return context.with(
    setRPCMetadata(trace.setSpan(parent, span), rpc),
    emit,
    this,
    event,
    req,
    res,
  );
};
if (!process.env.NOEXPRESS) {
  const { ExpressRouteInstrumentation } = require('./dist/instrumentation/express-route');
  const { registerInstrumentations } = require('@opentelemetry/instrumentation');
  registerInstrumentations({ instrumentations: [new ExpressRouteInstrumentation()] });
}
