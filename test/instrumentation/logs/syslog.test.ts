// The syslog transport against receivers made here: RFC 5424 with octet counting over TCP and
// TLS, a receiver that goes away and comes back, a full queue, and how the process exits.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createServer as createTlsServer } from 'node:tls';
import { resolveConfig } from '../../../instrumentation/config';
import { createLogger } from '../../../instrumentation/logs/logger';
import { shippingTransport } from '../../../instrumentation/logs/transports';
import { stats } from '../../../instrumentation/stats';
import { fixtures } from '../../helpers/apps';
import { freePort } from '../../helpers/ports';
import { poll } from '../../helpers/stack';

/** Splits an octet-counted stream into messages (RFC 6587 section 3.4.1). */
function octetFrames(onMessage: (message: string) => void): (chunk: Buffer) => void {
  let buffered = Buffer.alloc(0);
  return (chunk) => {
    buffered = Buffer.concat([buffered, chunk]);
    for (;;) {
      const space = buffered.indexOf(32);
      if (space < 0) return;
      const length = Number(buffered.subarray(0, space).toString());
      if (buffered.length < space + 1 + length) return;
      onMessage(buffered.subarray(space + 1, space + 1 + length).toString());
      buffered = buffered.subarray(space + 1 + length);
    }
  };
}

/** A TCP syslog receiver on `port` that keeps every message. */
function receiver(
  port: number,
  messages: string[],
): Promise<{ server: Server; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on(
      'data',
      octetFrames((m) => messages.push(m)),
    );
    socket.on('close', () => sockets.delete(socket));
  });
  return new Promise((resolve) =>
    server.listen(port, '127.0.0.1', () =>
      resolve({
        server,
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.end();
            server.close(() => done());
          }),
      }),
    ),
  );
}

const syslogLogger = (url: string, env: Record<string, string> = {}) => {
  const { config } = resolveConfig({
    OBSKIT_LOG_SYSLOG_URL: url,
    OTEL_SERVICE_NAME: 'checkout',
    ...env,
  });
  const spec = {
    kind: 'syslog',
    url: config.logs.syslogUrl.href,
    name: config.serviceName,
  } as const;
  const transport = shippingTransport(spec, config.logs.queueSize);
  return { transport, logger: createLogger({ transports: [transport] }) };
};

const payloadOf = (message: string) => JSON.parse(message.slice(message.indexOf(' - - ') + 5));

test('each line is an RFC 5424 message, octet-counted, whose MSG is the ECS JSON', async () => {
  const port = await freePort();
  const messages: string[] = [];
  const server = await receiver(port, messages);
  const { logger, transport } = syslogLogger(`tcp://127.0.0.1:${port}`);
  try {
    logger.warn('low stock', { sku: 'a-1' });
    logger.info('multi\nline');
    await poll('two messages', async () => (messages.length >= 2 ? true : undefined), 5000);
    const header = /^<(\d+)>1 (\S+) (\S+) (\S+) (\d+) - - /;
    const [, priority, timestamp, , appName, procId] = header.exec(messages[0] as string) ?? [];
    assert.equal(priority, String(16 * 8 + 4)); // local0.warning
    assert.equal(appName, 'checkout');
    assert.equal(procId, String(process.pid));
    const first = payloadOf(messages[0] as string);
    assert.equal(timestamp, first['@timestamp']);
    assert.equal(first.message, 'low stock');
    assert.equal(first.sku, 'a-1');
    assert.equal(payloadOf(messages[1] as string).message, 'multi\nline');
    assert.equal(messages[1]?.split('\n').length, 1, 'no raw newline in a message');
  } finally {
    transport.close();
    await server.close();
  }
});

test('a receiver that goes away and comes back gets every line, in order', async () => {
  const port = await freePort();
  const messages: string[] = [];
  let server = await receiver(port, messages);
  const { logger, transport } = syslogLogger(`tcp://127.0.0.1:${port}`);
  try {
    logger.info('line 1');
    await poll('line 1', async () => (messages.length >= 1 ? true : undefined), 5000);
    await server.close();
    for (let i = 2; i <= 30; i++) logger.info(`line ${i}`);
    server = await receiver(port, messages);
    const distinct = await poll(
      '30 distinct lines',
      async () => {
        const lines = [...new Set(messages.map((m) => payloadOf(m).message as string))];
        return lines.length >= 30 ? lines : undefined;
      },
      10_000,
    );
    // Lines sent just before the connection closed may come twice; rsyslog stores them once.
    assert.deepEqual(
      distinct,
      Array.from({ length: 30 }, (_, i) => `line ${i + 1}`),
    );
  } finally {
    transport.close();
    await server.close();
  }
});

test('with the receiver away the queue holds OBSKIT_LOG_QUEUE_SIZE lines and counts the rest', async () => {
  const port = await freePort();
  const warnings: string[] = [];
  const write = process.stderr.write;
  process.stderr.write = ((chunk: string) => warnings.push(String(chunk)) > 0) as typeof write;
  const before = { ...stats.logs.syslog };
  const { logger, transport } = syslogLogger(`tcp://127.0.0.1:${port}`, {
    OBSKIT_LOG_QUEUE_SIZE: '5',
  });
  try {
    for (let i = 1; i <= 12; i++) assert.doesNotThrow(() => logger.info(`line ${i}`));
    await poll('the outage warning', async () => (warnings.length > 0 ? true : undefined), 5000);
    assert.equal(transport.pending(), 5);
    assert.equal((stats.logs.syslog?.dropped ?? 0) - (before.dropped ?? 0), 7);
    assert.equal(stats.logs.syslog?.capacity, 5);
    assert.deepEqual(warnings, [
      `obskit: syslog receiver at tcp://127.0.0.1:${port} is unreachable (connect ECONNREFUSED 127.0.0.1:${port}); holding up to 5 lines (OBSKIT_LOG_QUEUE_SIZE) and reconnecting\n`,
    ]);
  } finally {
    process.stderr.write = write;
    transport.close();
  }
});

const runOnce = (env: NodeJS.ProcessEnv) =>
  new Promise<{ code: number | null; stderr: string; ms: number }>((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, [join(fixtures, 'log-once.cjs')], {
      env: { ...process.env, OBSKIT_LOG_TRANSPORTS: 'syslog', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('exit', (code) => resolve({ code, stderr, ms: Date.now() - started }));
  });

test('a script that logs and ends exits at once: its line shipped, or counted as not shipped', async () => {
  const port = await freePort();
  const messages: string[] = [];
  const server = await receiver(port, messages);
  try {
    const shipped = await runOnce({
      OBSKIT_LOG_SYSLOG_URL: `tcp://127.0.0.1:${port}`,
      MESSAGE: 'bye',
    });
    assert.equal(shipped.code, 0);
    assert.equal(shipped.stderr, '');
    await poll('the line', async () => (messages.length >= 1 ? true : undefined), 5000);
    assert.equal(payloadOf(messages[0] as string).message, 'bye');
  } finally {
    await server.close();
  }
  const unreachable = await runOnce({ OBSKIT_LOG_SYSLOG_URL: `tcp://127.0.0.1:${port}` });
  assert.equal(unreachable.code, 0);
  assert.match(
    unreachable.stderr,
    /obskit: 1 log lines were not shipped to syslog at tcp:\/\/127\.0\.0\.1:\d+ before exit/,
  );
});

test('tls:// ships over TLS, trusting the CA given by NODE_EXTRA_CA_CERTS', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'obskit-tls-'));
  const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
  const made = spawnSync('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    key,
    '-out',
    cert,
    '-days',
    '1',
    '-subj',
    '/CN=localhost',
    '-addext',
    'subjectAltName=DNS:localhost',
  ]);
  assert.equal(made.status, 0, made.stderr?.toString());
  const messages: string[] = [];
  const server = createTlsServer({ key: readFileSync(key), cert: readFileSync(cert) }, (socket) =>
    socket.on(
      'data',
      octetFrames((m) => messages.push(m)),
    ),
  );
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  try {
    const url = `tls://localhost:${port}`;
    const result = await runOnce({
      OBSKIT_LOG_SYSLOG_URL: url,
      NODE_EXTRA_CA_CERTS: cert,
      MESSAGE: 'sealed',
    });
    assert.equal(result.code, 0, result.stderr);
    await poll('the line over TLS', async () => (messages.length >= 1 ? true : undefined), 5000);
    assert.equal(payloadOf(messages[0] as string).message, 'sealed');
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
