// Health probes for the backends, each answering true or false, never throwing.

import { request } from 'node:http';
import { connect } from 'node:net';

const probeTimeoutMs = 2000;

/** True when GET url answers 2xx and, if given, its body passes `accept`. */
export function httpOk(url: string, accept?: (body: string) => boolean): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(url, { timeout: probeTimeoutMs }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      res.on('end', () => {
        const ok = (res.statusCode ?? 500) < 300;
        resolve(ok && (accept ? accept(body) : true));
      });
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

/** True when `payload` sent over TCP gets an answer starting with `expect`; connect-only without payload. */
export function tcpOk(port: number, payload?: string, expect?: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, timeout: probeTimeoutMs });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.on('connect', () => {
      if (payload === undefined) return done(true);
      socket.write(payload);
    });
    socket.on('data', (data: Buffer) => done(data.toString().startsWith(expect ?? '')));
    socket.on('timeout', () => done(false));
    socket.on('error', () => done(false));
  });
}

/** Polls `check` until it is true or the deadline passes. */
export async function waitFor(
  check: () => Promise<boolean>,
  deadlineMs: number,
  everyMs = 500,
): Promise<boolean> {
  const end = Date.now() + deadlineMs;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return check();
}
