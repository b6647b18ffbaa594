import assert from 'node:assert/strict';
import { test } from 'node:test';
import { localStackConfig } from '../../stack/local-stack';
import { localize } from '../../stack/render';

const defaults = localStackConfig({}).backends;
const overridden = localStackConfig({
  OBSKIT_PORT_ELASTICSEARCH_HTTP: '19200',
  OBSKIT_PORT_RSYSLOG: '15140',
  OBSKIT_PORT_OTELCOL: '24225',
}).backends;

const cases: { name: string; input: string; expected: string; backends?: typeof defaults }[] = [
  {
    name: 'compose host',
    input: "targets: ['alertmanager:9093']",
    expected: "targets: ['127.0.0.1:9093']",
  },
  { name: 'listen address', input: 'endpoint: 0.0.0.0:4318', expected: 'endpoint: 127.0.0.1:4318' },
  { name: 'bare any-address', input: 'network.host: 0.0.0.0', expected: 'network.host: 127.0.0.1' },
  { name: 'mongodb host of ferretdb', input: 'mongodb:27017', expected: '127.0.0.1:27017' },
  { name: 'unknown host kept', input: 'gateway:8080', expected: 'gateway:8080' },
  { name: 'known host on another port kept', input: 'jaeger:9999', expected: 'jaeger:9999' },
  {
    name: 'overridden port in host:port',
    input: 'server="elasticsearch:9200"',
    expected: 'server="127.0.0.1:19200"',
    backends: overridden,
  },
  {
    name: 'overridden port="…"',
    input: 'port="5140"',
    expected: 'port="15140"',
    backends: overridden,
  },
  {
    name: 'fluentd host of otelcol, overridden port',
    input: 'fluentd:24224 endpoint: 0.0.0.0:24224',
    expected: '127.0.0.1:24225 endpoint: 127.0.0.1:24225',
    backends: overridden,
  },
  {
    name: 'longer number untouched',
    input: 'elasticsearch:92000',
    expected: 'elasticsearch:92000',
  },
];

for (const c of cases) {
  test(`localize: ${c.name}`, () => {
    assert.equal(localize(c.input, c.backends ?? defaults), c.expected);
  });
}
