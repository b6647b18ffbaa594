// Compose healthchecks in the obskit image, which has no curl: exits 0 when the target answers.
// `node compose/obskit/healthcheck.js http://127.0.0.1:8080/health` needs a 2xx answer;
// `… tcp://127.0.0.1:50051` needs an accepted connection.
const { connect } = require('node:net');

const target = new URL(process.argv[2] ?? '');
const timeoutMs = 2000;
const done = (healthy) => process.exit(healthy ? 0 : 1);

if (target.protocol === 'tcp:') {
  const socket = connect({ host: target.hostname, port: Number(target.port) });
  socket.setTimeout(timeoutMs, () => done(false));
  socket.once('connect', () => done(true));
  socket.once('error', () => done(false));
} else {
  fetch(target, { signal: AbortSignal.timeout(timeoutMs) }).then(
    (response) => done(response.ok),
    () => done(false),
  );
}
