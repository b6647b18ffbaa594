// The obskit logger, `require('obskit/logger')`: a winston logger writing Elastic Common
// Schema JSON with the active trace's IDs, to the transports the environment names.

import { LEVEL } from 'triple-beam';
import winston from 'winston';
import type Transport from 'winston-transport';
import { type LogLevel, processConfig } from '../config';
import { ExportThread } from '../export-thread/thread';
import { installLastFlush } from '../shutdown';
import { warnOnce } from '../warn';
import { addTraceFields } from './correlation';
import { ecsFormat, type LogInfo } from './ecs-format';
import { createTransports } from './transports';

export interface LoggerOptions {
  /** The most verbose level written. Default OBSKIT_LOG_LEVEL, else info. */
  level?: LogLevel;
  /** Fields on every line, such as { 'service.environment': 'prod' }. Default none. */
  defaultMeta?: Record<string, unknown>;
  /** Replaces the transports OBSKIT_LOG_TRANSPORTS names. */
  transports?: Transport[];
}

export type Logger = winston.Logger;

/** A record from a level method's arguments: (message, ...meta), where Errors become `error`. */
function recordOf(level: string, message: unknown, meta: unknown[]): LogInfo {
  const info: LogInfo = { level };
  if (message instanceof Error) {
    info.message = message.message;
    info.error = message;
  } else if (message !== null && typeof message === 'object') {
    Object.assign(info, message);
  } else {
    info.message = message;
  }
  for (const extra of meta) {
    if (extra instanceof Error) info.error ??= extra;
    else if (extra !== null && typeof extra === 'object') Object.assign(info, extra);
  }
  info.level = level;
  info[LEVEL] = level;
  return info;
}

/**
 * Level methods that return at once for a disabled level, before any record is built,
 * and that keep an Error passed as meta (winston would spread it and lose its type).
 */
function installLevelMethods(logger: Logger): void {
  const levels = logger.levels;
  for (const level of Object.keys(levels)) {
    const value = levels[level] ?? Infinity;
    const method = function (this: Logger, message: unknown, ...meta: unknown[]): Logger {
      if (value > (levels[this.level] ?? -Infinity)) return this;
      const info = recordOf(level, message, meta);
      this.write(this.defaultMeta ? { ...this.defaultMeta, ...info } : info);
      return this;
    };
    (logger as unknown as Record<string, unknown>)[level] = method;
  }
}

/**
 * Correlation at the call, where the active span is still the caller's. Under the preload,
 * winston's write is already wrapped to do it (with the same ECS names): no second lookup.
 */
function correlateWrites(logger: Logger): void {
  const write = logger.write as ((this: Logger, info: LogInfo) => boolean) & { __wrapped?: true };
  if (write.__wrapped) return;
  logger.write = function (this: Logger, info: LogInfo) {
    addTraceFields(info);
    return write.call(this, info);
  } as Logger['write'];
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const config = processConfig();
  const service = { name: config.serviceName, version: config.serviceVersion };
  const logger = winston.createLogger({
    level: options.level ?? config.logs.level,
    levels: winston.config.npm.levels,
    format: ecsFormat({ service }),
    defaultMeta: options.defaultMeta,
    transports: options.transports ?? createTransports(config.logs, config.serviceName),
    exitOnError: false,
  });
  // A transport's error must never become an unhandled 'error' event in the app.
  logger.on('error', (error: Error) =>
    warnOnce(`logger-error:${error.message}`, `logger: ${error.message}`),
  );
  installLevelMethods(logger);
  correlateWrites(logger);
  // Without the preload, the logger delivers its own last lines at exit (with it, a no-op).
  if (config.logs.transports.some((name) => name !== 'console'))
    installLastFlush(new ExportThread(), config.shutdownTimeoutMs);
  return logger;
}

/** The process's obskit logger, configured from the environment. */
export const logger: Logger = createLogger();
