// `obskit trace <traceId> [--json]`: one trace from Jaeger as a tree of spans, with the log
// lines Elasticsearch holds for it beside them — what a person opens after an alert or a log line.

import { formatLogLine, type LogDocument, wantsColour } from '../clients/elasticsearch/log-lines';
import {
  getTrace,
  type JaegerSpan,
  type JaegerTrace,
  parentOf,
  serviceOf,
  tagsOf,
} from '../clients/jaeger';
import { firstLineOf, obskitError } from '../common/errors';
import { logsIndexPattern } from '../common/index-names';
import { elasticsearchClient } from '../stack/elasticsearch-client';
import { backendPortOf, memberPortsOf } from '../stack/ports';
import type { StackConfig } from '../stack/types';
import { parseOptions } from './options';
import { stackConfigOf, topologyOption } from './topology';

type LogLine = LogDocument;

export const traceOptions = { json: { type: 'boolean' }, ...topologyOption } as const;

export async function runTraceCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions(argv, traceOptions);
  const [traceId, ...extra] = positionals;
  if (!traceId) throw obskitError('OBSKIT_E_USAGE', 'missing the trace ID');
  if (extra.length > 0) throw obskitError('OBSKIT_E_USAGE', `unexpected argument '${extra[0]}'`);
  const id = traceId.toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(id) || /^0+$/.test(id))
    throw obskitError('OBSKIT_E_BAD_TRACE_ID', traceId);

  const config = stackConfigOf(values.topology);
  const queryUrl = `http://127.0.0.1:${backendPortOf(config, 'jaeger', 'query')}`;
  const trace = await getTrace(queryUrl, id).catch((error: Error) => {
    throw obskitError(
      'OBSKIT_E_JAEGER_UNREACHABLE',
      queryUrl,
      (error.cause as Error | undefined)?.message ?? error.message,
    );
  });
  if (!trace) throw obskitError('OBSKIT_E_TRACE_NOT_FOUND', id, queryUrl);
  const logs = await logsOf(config, id);

  if (values.json) {
    process.stdout.write(`${JSON.stringify({ trace, logs: logs.lines })}\n`);
  } else {
    process.stdout.write(
      `${[...describeTrace(trace), '', ...describeLogs(logs.lines)].join('\n')}\n`,
    );
  }
  if (logs.problem) process.stderr.write(`obskit: ${logs.problem}\n`);
  return 0;
}

/** The trace's log lines, oldest first; when Elasticsearch is away, the trace still shows. */
async function logsOf(config: StackConfig, traceId: string) {
  const client = elasticsearchClient(memberPortsOf(config, 'elasticsearch'));
  try {
    const result = await client.search<LogLine>({
      index: logsIndexPattern,
      query: { term: { 'trace.id': traceId } },
      sort: [{ '@timestamp': 'asc' }, { 'event.sequence': 'asc' }],
      size: 1000,
      ignore_unavailable: true,
    });
    return { lines: result.hits.hits.map((hit) => hit._source ?? {}) };
  } catch (error) {
    const reason = firstLineOf(error);
    return {
      lines: [],
      problem: `no logs: Elasticsearch did not answer (${reason}); start it with 'obskit stack up'`,
    };
  } finally {
    await client.close();
  }
}

const ms = (micros: number) => `${(micros / 1000).toFixed(1)} ms`;

/** A header line, then each span under its parent: offset, duration, service, name, kind. */
function describeTrace(trace: JaegerTrace): string[] {
  const start = Math.min(...trace.spans.map((s) => s.startTime));
  const end = Math.max(...trace.spans.map((s) => s.startTime + s.duration));
  const services = new Set(trace.spans.map((s) => serviceOf(trace, s)));
  const ids = new Set(trace.spans.map((s) => s.spanID));
  const children = new Map<string | undefined, JaegerSpan[]>();
  for (const span of [...trace.spans].sort((a, b) => a.startTime - b.startTime)) {
    const parent = parentOf(span);
    const key = parent && ids.has(parent) ? parent : undefined;
    const siblings = children.get(key) ?? [];
    siblings.push(span);
    children.set(key, siblings);
  }
  const lines = [
    `trace ${trace.traceID}: ${trace.spans.length} spans, ${services.size} services, ${ms(end - start)}, started ${new Date(start / 1000).toISOString()}`,
    '',
    `${'offset'.padStart(10)} ${'duration'.padStart(10)}  span`,
  ];
  const walk = (parent: string | undefined, depth: number) => {
    for (const span of children.get(parent) ?? []) {
      const tags = tagsOf(span);
      const status = tags.error === true ? '  ERROR' : '';
      const name = `${'  '.repeat(depth)}${serviceOf(trace, span)}: ${span.operationName} (${tags['span.kind'] ?? 'internal'})`;
      lines.push(
        `${ms(span.startTime - start).padStart(10)} ${ms(span.duration).padStart(10)}  ${name}${status}`,
      );
      walk(span.spanID, depth + 1);
    }
  };
  walk(undefined, 0);
  return lines;
}

function describeLogs(lines: LogLine[]): string[] {
  if (lines.length === 0) return ['no log lines with this trace.id in Elasticsearch'];
  const colour = wantsColour(process.stdout);
  return [
    `${lines.length} log line${lines.length === 1 ? '' : 's'}:`,
    ...lines.map((line) => formatLogLine(line, colour, false)),
  ];
}
