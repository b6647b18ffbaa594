// What the preload tells about itself: OpenTelemetry's diag at OTEL_LOG_LEVEL, with
// OBSKIT_DIAG each module it patches, and always a warning for a module loaded too early.

import { DiagConsoleLogger, DiagLogLevel, diag } from '@opentelemetry/api';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import type { InstrumentationName, ObskitConfig } from './config';
import { patchedModules } from './instrumentations';
import { warnOnce } from './warn';

const diagLevels: Record<ObskitConfig['logLevel'], DiagLogLevel> = {
  none: DiagLogLevel.NONE,
  error: DiagLogLevel.ERROR,
  warn: DiagLogLevel.WARN,
  info: DiagLogLevel.INFO,
  debug: DiagLogLevel.DEBUG,
  verbose: DiagLogLevel.VERBOSE,
  all: DiagLogLevel.ALL,
};

export function setUpDiagLogger(config: ObskitConfig): void {
  if (config.logLevel !== 'none')
    diag.setLogger(new DiagConsoleLogger(), diagLevels[config.logLevel]);
}

type Patch = (exports: unknown, version?: string) => unknown;

interface ModuleDefinition {
  name: string;
  patch?: Patch;
  files?: { patch?: Patch }[];
}

/** Calls `after` each time the instrumentation has patched a module or one of its files. */
function afterEachPatch(
  instrumentation: Instrumentation,
  after: (definition: ModuleDefinition, version: string | undefined) => void,
): void {
  // The definitions the require and import hooks use; getModuleDefinitions() would build new ones.
  const definitions =
    (instrumentation as unknown as { _modules?: ModuleDefinition[] })._modules ?? [];
  for (const definition of definitions) {
    for (const target of [definition, ...(definition.files ?? [])]) {
      const original = target.patch;
      if (!original) continue;
      target.patch = function (this: unknown, exports, version) {
        const patched = original.call(this, exports, version);
        try {
          after(definition, version);
        } catch {
          // A report must never break the module it reports on.
        }
        return patched;
      };
    }
  }
}

/** Prints "patched <module> <version>" the first time an instrumentation patches a module. */
export function reportPatches(instrumentations: Instrumentation[]): void {
  for (const instrumentation of instrumentations) {
    afterEachPatch(instrumentation, (definition, version) =>
      warnOnce(
        `patched:${definition.name}@${version}:${instrumentation.instrumentationName}`,
        `patched ${definition.name} ${version ?? '(core module)'} with ${instrumentation.instrumentationName}`,
      ),
    );
  }
}

/** Warns, once each, about instrumented modules that were required before the preload ran. */
export function warnLoadedTooEarly(names: readonly InstrumentationName[]): void {
  const loaded = Object.keys(require.cache);
  for (const name of names) {
    for (const module of patchedModules[name]) {
      if (module === 'http' || module === 'https') continue;
      if (loaded.some((path) => path.includes(`/node_modules/${module}/`))) {
        warnOnce(
          `early:${module}`,
          `${module} was loaded before the preload and will not be traced; start the app with node -r obskit/instrumentation`,
        );
      }
    }
  }
}

export function describeSetup(config: ObskitConfig, target: string): string {
  return `tracing ${config.serviceName} to ${target}; sampler ${config.sampler}${
    config.sampler.includes('ratio') ? ` ${config.samplerRatio}` : ''
  }; instrumentations ${config.instrumentations.join(', ') || 'none'}`;
}
