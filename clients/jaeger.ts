// Reading traces from Jaeger's query API (the JSON API its UI uses): one trace by ID, or a search.

export interface JaegerTag {
  key: string;
  type: string;
  value: string | number | boolean;
}

export interface JaegerSpan {
  traceID: string;
  spanID: string;
  operationName: string;
  references: { refType: string; traceID: string; spanID: string }[];
  /** Microseconds since the epoch, and microseconds long. */
  startTime: number;
  duration: number;
  processID: string;
  tags: JaegerTag[];
}

export interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
  processes: Record<string, { serviceName: string; tags: JaegerTag[] }>;
}

/** The trace, or undefined when Jaeger does not hold it. */
export async function getTrace(
  queryUrl: string,
  traceId: string,
): Promise<JaegerTrace | undefined> {
  const response = await fetch(`${queryUrl}/api/traces/${traceId}`);
  if (response.status === 404) return undefined;
  if (!response.ok) throw new Error(`Jaeger answered ${response.status} for trace ${traceId}`);
  return ((await response.json()) as { data: JaegerTrace[] }).data[0];
}

export interface TraceSearch {
  service: string;
  operation?: string;
  /** Microseconds since the epoch. */
  start?: number;
  end?: number;
  limit: number;
}

export async function searchTraces(queryUrl: string, search: TraceSearch): Promise<JaegerTrace[]> {
  const params = new URLSearchParams({ service: search.service, limit: String(search.limit) });
  if (search.operation) params.set('operation', search.operation);
  if (search.start) params.set('start', String(search.start));
  if (search.end) params.set('end', String(search.end));
  const response = await fetch(`${queryUrl}/api/traces?${params}`);
  if (!response.ok)
    throw new Error(`Jaeger answered ${response.status} to a search for ${search.service}`);
  return ((await response.json()) as { data: JaegerTrace[] | null }).data ?? [];
}

export const tagsOf = (span: JaegerSpan): Record<string, JaegerTag['value']> =>
  Object.fromEntries(span.tags.map((t) => [t.key, t.value]));

export const serviceOf = (trace: JaegerTrace, span: JaegerSpan) =>
  trace.processes[span.processID]?.serviceName;

export const parentOf = (span: JaegerSpan) =>
  span.references.find((r) => r.refType === 'CHILD_OF')?.spanID;

/** The database a client span calls (db.system.name, or the older db.system). */
export const databaseOf = (span: JaegerSpan) => {
  const tags = tagsOf(span);
  return (tags['db.system.name'] ?? tags['db.system']) as string | undefined;
};
