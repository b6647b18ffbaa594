#!/usr/bin/env node
// obskit's command line: parses arguments, runs one command, turns errors into one line.

import { ObskitError, obskitError } from '../common/errors';
import { commandOptions, globalFlagOf, parseOptions } from './options';

const usage = `usage: obskit <command>

  demo [--rate n] [--duration s] [--replicas n]
                                      the stack, the demo services and a load of n req/s
                                      (20) for s seconds (0: until Ctrl-C); Ctrl-C stops it

  stack install [--only a,b]          install the local backends (Jaeger, Prometheus, ...)
  stack up [--only a,b] [--timeout s] start them on 127.0.0.1 and wait until healthy
  stack down [--only a,b]             stop what 'stack up' started
  stack status [--json] [--only a,b]  name, port, pid, health and URL of each backend
  stack … --topology cluster          install, up or status the cluster topology (etcd and
                                      Elasticsearch as three members); also OBSKIT_TOPOLOGY=cluster;
                                      stack down stops the members of either topology
  stack go                            the go binary the stack's Go builds use (the one on PATH,
                                      or Go's own toolchain module when that one is too old)
  trace <traceId> [--json] [--topology t]
                                      a trace from Jaeger as a span tree, with its log lines
  slo generate | check                the SLO alert rules from collectors/prometheus/slo.yml
  compose generate | check            the configs compose/cluster.yml mounts, every member
                                      listed, from their collectors/ files
  dashboards generate | check         the Grafana dashboards and the Kibana saved objects
                                      from dashboards/*/src
  dashboards import --kibana <url> [--user u --password p]
                                      the Kibana saved objects into that Kibana (user and
                                      password also from OBSKIT_KIBANA_USER/_PASSWORD)
  dash [dashboard] [--var name=value]… [--range 15m] [--refresh 5s] [--once] [--json]
                                      the Grafana dashboards in a terminal (no name: list)
  logs search [--service s] [--level l] [--since 15m] [--trace id] [--query lucene]
              [--limit 100] [--follow] [--json] [--topology t]
                                      log lines from Elasticsearch, newest last
  logs prune [--keep-days n] [--topology t]
                                      delete daily log indices older than n days (default 7)

  --help, --version`;

/** Each command, its module loaded only when it runs: --help needs none of them. */
const commands: Record<string, (args: string[]) => Promise<number> | number> = {
  stack: (args) => {
    const { values, positionals } = parseOptions(args, commandOptions.stack);
    return (require('./stack-command') as typeof import('./stack-command')).runStackCommand(
      positionals,
      values,
    );
  },
  demo: (args) =>
    (require('./demo-command') as typeof import('./demo-command')).runDemo(
      parseOptions(args, commandOptions.demo).values,
    ),
  slo: (args) => (require('./slo-command') as typeof import('./slo-command')).runSloCommand(args),
  compose: (args) =>
    (require('./compose-command') as typeof import('./compose-command')).runComposeCommand(args),
  dashboards: (args) =>
    (require('./dashboards-command') as typeof import('./dashboards-command')).runDashboardsCommand(
      args,
    ),
  dash: (args) =>
    (require('./dash-command') as typeof import('./dash-command')).runDashCommand(args),
  logs: (args) =>
    (require('./logs-command') as typeof import('./logs-command')).runLogsCommand(args),
  trace: (args) =>
    (require('./trace-command') as typeof import('./trace-command')).runTraceCommand(args),
};

/** The command name and --help/--version; the command parses the rest of the line itself. */
async function main(argv: string[]): Promise<number> {
  const asked = globalFlagOf(argv);
  if (asked === 'help') return print(usage);
  if (asked === 'version') return print(require('../../package.json').version);
  const [command = '', ...rest] = argv;
  // No option comes before the command: this throws the usage error that names it.
  if (command.startsWith('-')) parseOptions([command], {});
  const run = Object.hasOwn(commands, command) ? commands[command] : undefined;
  if (!run)
    throw obskitError(
      'OBSKIT_E_USAGE',
      command ? `unknown command '${command}'` : 'no command given',
    );
  return run(rest);
}

function print(text: string): number {
  process.stdout.write(`${text}\n`);
  return 0;
}

/** The package a failed require named, when a dependency is missing from node_modules. */
const missingPackage = (error: unknown) =>
  (error as NodeJS.ErrnoException)?.code === 'MODULE_NOT_FOUND'
    ? /Cannot find module '([^']+)'/.exec((error as Error).message)?.[1]
    : undefined;

function describe(error: unknown): string {
  if (error instanceof ObskitError) return `obskit: ${error.message} [${error.code}]`;
  const missing = missingPackage(error);
  if (missing) return describe(obskitError('OBSKIT_E_MISSING_MODULE', missing));
  return `obskit: unexpected error: ${error instanceof Error ? error.message : String(error)}`;
}

// Piped into `head`, a closed pipe ends the command quietly, as for any Unix tool.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${describe(error)}\n`);
    process.exitCode = error instanceof ObskitError && error.code === 'OBSKIT_E_USAGE' ? 2 : 1;
  },
);
