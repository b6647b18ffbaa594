// What the otelcol backend (the local stand-in for Fluentd) received on its forward port, read
// back from the file it writes: one OTLP JSON line per batch, flattened here to one object per
// record with attribute values decoded (int64 values arrive as strings and become numbers).

import { existsSync, readFileSync } from 'node:fs';
import { forwardedRecordsFile } from '../../stack/backends/otelcol';
import { stack } from './stack';

interface AnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number;
  bytesValue?: string;
  arrayValue?: { values?: AnyValue[] };
  kvlistValue?: { values?: { key: string; value: AnyValue }[] };
}

interface OtlpLogsLine {
  resourceLogs?: {
    scopeLogs?: {
      logRecords?: {
        timeUnixNano?: string;
        body?: AnyValue;
        attributes?: { key: string; value: AnyValue }[];
      }[];
    }[];
  }[];
}

export interface ForwardedRecord {
  /** The event time, nanoseconds since the epoch, as the file states it. */
  timeUnixNano: string | undefined;
  /** The record's `message` (or `log`) field. */
  body: unknown;
  /** Every other field, and `fluent.tag`. */
  attributes: Record<string, unknown>;
}

function decodeValue(value: AnyValue | undefined): unknown {
  if (!value) return undefined;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.bytesValue !== undefined) return value.bytesValue;
  if (value.arrayValue) return (value.arrayValue.values ?? []).map(decodeValue);
  if (value.kvlistValue) return decodeAttributes(value.kvlistValue.values);
  return null;
}

const decodeAttributes = (list: { key: string; value: AnyValue }[] = []) =>
  Object.fromEntries(list.map((kv) => [kv.key, decodeValue(kv.value)]));

/** Every record in the file so far, oldest first. */
export function forwardedRecords(file = forwardedRecordsFile(stack)): ForwardedRecord[] {
  if (!existsSync(file)) return [];
  const text = readFileSync(file, 'utf8');
  // Only whole lines: the exporter may be halfway through writing a long one.
  return text
    .slice(0, text.lastIndexOf('\n') + 1)
    .split('\n')
    .filter((line) => line.trim() !== '')
    .flatMap((line) => (JSON.parse(line) as OtlpLogsLine).resourceLogs ?? [])
    .flatMap((rl) => rl.scopeLogs ?? [])
    .flatMap((sl) => sl.logRecords ?? [])
    .map((r) => ({
      timeUnixNano: r.timeUnixNano,
      body: decodeValue(r.body),
      attributes: decodeAttributes(r.attributes),
    }));
}
