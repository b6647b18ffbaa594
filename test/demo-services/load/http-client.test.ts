// The load's HTTP client on a real loopback server: an answer with its status and body, and no
// answer (too slow, or cut off halfway) as a rejection, which the load counts as failed.

import assert from 'node:assert/strict';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { httpClient } from '../../../demo-services/load/http-client';

async function withServer(handler: RequestListener, work: (url: string) => Promise<void>) {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await work(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

test('an answer: status and body, the request body sent as JSON over a kept-alive connection', async () => {
  const seen: string[] = [];
  await withServer(
    (req, res) => {
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', () => {
        seen.push(
          `${req.method} ${req.url} ${req.headers['content-type']} ${body} ${req.socket.remotePort}`,
        );
        res.writeHead(201).end('{"id":"a"}');
      });
    },
    async (url) => {
      const http = httpClient(url, 5000);
      assert.deepEqual(await http.send('POST', '/entities', '{"name":"é"}'), {
        status: 201,
        text: '{"id":"a"}',
      });
      assert.deepEqual(await http.send('GET', '/entities/a'), { status: 201, text: '{"id":"a"}' });
      http.close();
    },
  );
  const port = seen[0]?.split(' ').at(-1);
  assert.deepEqual(seen, [
    `POST /entities application/json {"name":"é"} ${port}`,
    `GET /entities/a undefined  ${port}`,
  ]);
});

test('no answer within the timeout, or an answer cut off, rejects', async () => {
  await withServer(
    (req, res) => {
      if (req.url === '/slow') return;
      res.writeHead(200, { 'content-length': '100' }).write('partial');
      res.destroy();
    },
    async (url) => {
      const http = httpClient(url, 200);
      const timedOut = (error: Error) =>
        (error.cause as Error | undefined)?.name === 'TimeoutError';
      await assert.rejects(http.send('GET', '/slow'), timedOut);
      await assert.rejects(http.send('GET', '/cut'));
      http.close();
    },
  );
});
