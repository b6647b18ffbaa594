// The load's HTTP client: node:http over keep-alive connections, which the preload's HTTP
// instrumentation traces and times (fetch goes through undici, which it does not see).

import { Agent, request } from 'node:http';

export interface Answer {
  status: number;
  text: string;
}

/** Requests to `baseUrl`; each unanswered after `timeoutMs` is aborted and rejects. */
export function httpClient(baseUrl: string, timeoutMs: number) {
  const agent = new Agent({ keepAlive: true });
  const send = (method: string, path: string, body?: string) =>
    new Promise<Answer>((resolve, reject) => {
      const headers =
        body === undefined
          ? {}
          : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
      const options = { method, headers, agent, signal: AbortSignal.timeout(timeoutMs) };
      const req = request(`${baseUrl}${path}`, options, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        res.on('error', reject);
        // Cut off halfway through the body: no answer.
        res.on('close', () => res.complete || reject(new Error('the answer was cut off')));
      });
      req.on('error', reject);
      req.end(body);
    });
  return { send, close: () => agent.destroy() };
}
