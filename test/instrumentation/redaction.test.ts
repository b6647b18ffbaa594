import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isSecretName, redactQuery, redactUrl } from '../../instrumentation/redaction';

const urls: [string, string][] = [
  ['https://api.example/v1?token=abc&page=2', 'https://api.example/v1?token=REDACTED&page=2'],
  ['/login?user=ann&password=hunter2', '/login?user=ann&password=REDACTED'],
  [
    '/x?access_token=a&refresh_token=b&client_secret=c&api_key=d&apiKey=e',
    '/x?access_token=REDACTED&refresh_token=REDACTED&client_secret=REDACTED&api_key=REDACTED&apiKey=REDACTED',
  ],
  ['/cb?code=xyz&state=1', '/cb?code=REDACTED&state=1'],
  ['/s3?X-Amz-Signature=abc&sig=1', '/s3?X-Amz-Signature=REDACTED&sig=REDACTED'],
  ['https://user:pass@db.example:5432/x', 'https://REDACTED:REDACTED@db.example:5432/x'],
  [
    '/p?monkey=1&keyboard=2&country_code=fr&design=3',
    '/p?monkey=1&keyboard=2&country_code=fr&design=3',
  ],
  ['/frag?token=a#token=b', '/frag?token=REDACTED#token=b'],
  ['/encoded?pass%77ord=x', '/encoded?pass%77ord=REDACTED'],
  ['/no-query', '/no-query'],
];

for (const [input, expected] of urls) {
  test(`redactUrl ${input}`, () => assert.equal(redactUrl(input), expected));
}

test('redactQuery masks extra names, case-insensitively', () => {
  assert.equal(redactQuery('tenant=a&Customer=b', ['customer']), 'tenant=a&Customer=REDACTED');
});

test('sensitive header names', () => {
  for (const name of [
    'authorization',
    'Cookie',
    'set-cookie',
    'x-api-key',
    'proxy-authorization',
    'x-auth-token',
  ]) {
    assert.equal(isSecretName(name), true, name);
  }
  for (const name of ['content-type', 'user-agent', 'accept', 'x-request-id'])
    assert.equal(isSecretName(name), false, name);
});
