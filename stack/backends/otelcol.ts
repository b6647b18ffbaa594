// The local stand-in for Fluentd (compose runs Fluentd itself): an OpenTelemetry Collector with
// the contrib fluent_forward receiver and file exporter, pinned in stack/otelcol/go.mod. It
// writes what it receives to a file (forwardedRecordsFile) instead of Elasticsearch.

import { join } from 'node:path';
import { tcpProbe } from '../probes';
import { renderCollector } from '../render';
import type { BackendSpec, StackConfig } from '../types';

const binary = 'otelcol';

/**
 * The file where otelcol appends what arrives on its forward port: OTLP JSON, one line per
 * batch it received, each line
 * `{"resourceLogs":[{"resource":{},"scopeLogs":[{"scope":{},"logRecords":[…]}]}]}`.
 */
export const forwardedRecordsFile = (config: StackConfig) =>
  join(config.runDir, binary, 'records.jsonl');

export const otelcol: BackendSpec = {
  name: 'otelcol',
  host: 'fluentd',
  version: '0.164.1',
  source: { kind: 'go-main', dir: 'stack/otelcol', binary },
  // UDP on the same port answers the forward protocol's heartbeats, as Fluentd's in_forward does.
  ports: [{ name: 'forward', port: 24224, protocol: 'tcp+udp' }],
  probe: (backend) => tcpProbe(backend),
  launch: (context) => ({
    command: join(context.bin, binary),
    args: ['--config', join(renderCollector(context, 'fluentd'), 'otelcol.yaml')],
    env: { ...process.env, OTELCOL_RECORDS_FILE: forwardedRecordsFile(context.config) },
    writableDirs: [],
  }),
};
