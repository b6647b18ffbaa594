// OTLP trace export requests decoded for comparison: protobuf (a small reader for the trace
// messages' fields) or JSON, into one shape, with IDs numbered and times left out.

type Field = [
  name: string,
  type: 'message' | 'string' | 'bytes' | 'varint' | 'fixed64' | 'fixed32' | 'double' | 'bool',
  of?: string,
];

/** The fields of opentelemetry-proto's trace messages (trace.proto, common.proto, resource.proto). */
const schema: Record<string, Record<number, Field>> = {
  TracesData: { 1: ['resourceSpans', 'message', 'ResourceSpans'] },
  ResourceSpans: {
    1: ['resource', 'message', 'Resource'],
    2: ['scopeSpans', 'message', 'ScopeSpans'],
    3: ['schemaUrl', 'string'],
  },
  Resource: { 1: ['attributes', 'message', 'KeyValue'], 2: ['droppedAttributesCount', 'varint'] },
  ScopeSpans: {
    1: ['scope', 'message', 'Scope'],
    2: ['spans', 'message', 'Span'],
    3: ['schemaUrl', 'string'],
  },
  Scope: {
    1: ['name', 'string'],
    2: ['version', 'string'],
    3: ['attributes', 'message', 'KeyValue'],
    4: ['droppedAttributesCount', 'varint'],
  },
  Span: {
    1: ['traceId', 'bytes'],
    2: ['spanId', 'bytes'],
    3: ['traceState', 'string'],
    4: ['parentSpanId', 'bytes'],
    5: ['name', 'string'],
    6: ['kind', 'varint'],
    7: ['startTimeUnixNano', 'fixed64'],
    8: ['endTimeUnixNano', 'fixed64'],
    9: ['attributes', 'message', 'KeyValue'],
    10: ['droppedAttributesCount', 'varint'],
    11: ['events', 'message', 'Event'],
    12: ['droppedEventsCount', 'varint'],
    13: ['links', 'message', 'Link'],
    14: ['droppedLinksCount', 'varint'],
    15: ['status', 'message', 'Status'],
    16: ['flags', 'fixed32'],
  },
  Event: {
    1: ['timeUnixNano', 'fixed64'],
    2: ['name', 'string'],
    3: ['attributes', 'message', 'KeyValue'],
    4: ['droppedAttributesCount', 'varint'],
  },
  Link: {
    1: ['traceId', 'bytes'],
    2: ['spanId', 'bytes'],
    3: ['traceState', 'string'],
    4: ['attributes', 'message', 'KeyValue'],
    5: ['droppedAttributesCount', 'varint'],
    6: ['flags', 'fixed32'],
  },
  Status: { 2: ['message', 'string'], 3: ['code', 'varint'] },
  KeyValue: { 1: ['key', 'string'], 2: ['value', 'message', 'AnyValue'] },
  AnyValue: {
    1: ['stringValue', 'string'],
    2: ['boolValue', 'bool'],
    3: ['intValue', 'varint'],
    4: ['doubleValue', 'double'],
    5: ['arrayValue', 'message', 'ArrayValue'],
  },
  ArrayValue: { 1: ['values', 'message', 'AnyValue'] },
};

/** Fields that repeat; every other field holds one value. */
const repeated = new Set([
  'resourceSpans',
  'scopeSpans',
  'spans',
  'attributes',
  'events',
  'links',
  'values',
]);

type Decoded = Record<string, unknown>;

function varint(bytes: Buffer, at: number): [bigint, number] {
  let value = 0n;
  let shift = 0n;
  for (;;) {
    const byte = bytes[at++] as number;
    value |= BigInt(byte & 0x7f) << shift;
    if (byte < 0x80) return [value, at];
    shift += 7n;
  }
}

function scalar(type: Field[1], bytes: Buffer, at: number, end: number): unknown {
  if (type === 'string') return bytes.toString('utf8', at, end);
  if (type === 'bytes') return bytes.toString('hex', at, end);
  if (type === 'fixed64') return bytes.readBigUInt64LE(at).toString();
  if (type === 'fixed32') return bytes.readUInt32LE(at);
  if (type === 'double') return bytes.readDoubleLE(at);
  const [value] = varint(bytes, at);
  return type === 'bool' ? value !== 0n : BigInt.asIntN(64, value).toString();
}

/** One message of `type` from bytes[at, end); the JSON encoding's field names. */
export function decodeMessage(type: string, bytes: Buffer, at = 0, end = bytes.length): Decoded {
  const out: Decoded = {};
  const fields = schema[type] ?? {};
  while (at < end) {
    const [key, next] = varint(bytes, at);
    at = next;
    const wire = Number(key & 7n);
    const field = fields[Number(key >> 3n)];
    let start = at;
    if (wire === 0) at = varint(bytes, at)[1];
    else if (wire === 1) at += 8;
    else if (wire === 5) at += 4;
    else {
      const [length, after] = varint(bytes, at);
      start = after;
      at = after + Number(length);
    }
    if (!field) continue;
    const [name, kind, of] = field;
    const value =
      kind === 'message'
        ? decodeMessage(of as string, bytes, start, at)
        : scalar(kind, bytes, start, at);
    if (!repeated.has(name)) out[name] = value;
    else if (Array.isArray(out[name])) out[name].push(value);
    else out[name] = [value];
  }
  return out;
}

const timeFields = new Set(['startTimeUnixNano', 'endTimeUnixNano', 'timeUnixNano']);
const idFields = new Set(['traceId', 'spanId', 'parentSpanId']);
/** Resource attributes that differ from one process to the next. */
const perProcess = new Set(['process.pid', 'service.instance.id']);

/** A copy without times and with each ID replaced by its number in order of appearance. */
function normalise(value: unknown, ids: Map<string, string>, key = ''): unknown {
  if (Array.isArray(value)) return value.map((item) => normalise(item, ids));
  if (value && typeof value === 'object') {
    // Ports are the processes' own; a stack's frames below the app's are each tracer's own.
    const attribute = (value as { key?: unknown }).key?.toString() ?? '';
    if (attribute.endsWith('.port')) return { ...value, value: 'port' };
    if (attribute === 'exception.stacktrace') return { ...value, value: 'stack' };
    const out: Decoded = {};
    for (const [k, v] of Object.entries(value)) {
      if (timeFields.has(k)) continue;
      if (idFields.has(k) && typeof v === 'string' && v !== '') {
        if (!ids.has(v)) ids.set(v, `${k === 'traceId' ? 'trace' : 'span'}-${ids.size}`);
        out[k] = ids.get(v);
      } else out[k] = normalise(v, ids, k);
    }
    return out;
  }
  if (typeof value === 'string') return value.replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:port');
  return key === 'intValue' ? String(value) : value;
}

interface ScopeSpans {
  scope: { name: string; version?: string };
  spans: Decoded[];
}

/** Every span, by scope then name and attributes, with IDs numbered and times left out. */
export function decodeTraces(
  bodies: Buffer[],
  protocol: string,
): { spans: number; normalised: unknown } {
  const requests = bodies.map((body) =>
    protocol === 'http/json'
      ? (JSON.parse(body.toString()) as Decoded)
      : decodeMessage('TracesData', body),
  );
  const resources: unknown[] = [];
  const byScope = new Map<string, ScopeSpans>();
  for (const request of requests) {
    for (const rs of (request.resourceSpans ?? []) as Decoded[]) {
      const resource = rs.resource as { attributes: { key: string }[] };
      resources.push(resource.attributes.filter((a) => !perProcess.has(a.key)));
      for (const ss of (rs.scopeSpans ?? []) as ScopeSpans[]) {
        const key = `${ss.scope.name}@${ss.scope.version ?? ''}`;
        const entry = byScope.get(key) ?? { scope: ss.scope, spans: [] };
        entry.spans.push(...ss.spans);
        byScope.set(key, entry);
      }
    }
  }
  const sortKey = (span: Decoded) =>
    JSON.stringify(normalise(span, new Map()), (k, v) => (idFields.has(k) ? undefined : v));
  const scopes = [...byScope.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([, entry]) => ({
      scope: entry.scope,
      spans: entry.spans.sort((a, b) => sortKey(a).localeCompare(sortKey(b))),
    }));
  const spans = scopes.reduce((sum, entry) => sum + entry.spans.length, 0);
  return {
    spans,
    normalised: normalise(
      { resources: [...new Set(resources.map((r) => JSON.stringify(r)))], scopes },
      new Map(),
    ),
  };
}
