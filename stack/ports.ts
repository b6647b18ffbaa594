// The ports of the resolved stack, looked up one way; a port read from a variable; and whether
// a loopback port is free, checked by binding it for a moment.

import { createServer } from 'node:net';
import { obskitError } from '../common/errors';
import { numberIn } from '../common/numbers';
import { waitFor } from './health';
import type { Backend, Member, StackConfig } from './types';

/**
 * A backend's (or a member's) port by name as resolved (env overrides included); its first
 * without a name.
 */
export function portOf(backend: Backend | Member, portName?: string): number {
  const port = portName
    ? backend.resolvedPorts.find((p) => p.name === portName)
    : backend.resolvedPorts[0];
  if (!port) throw new Error(`no port ${portName ?? ''} for ${backend.name}`);
  return port.port;
}

function backendOf(config: StackConfig, backend: string): Backend {
  const found = config.backends.find((b) => b.name === backend);
  if (!found) throw new Error(`no backend ${backend}`);
  return found;
}

/** The port of the stack's backend called `backend`; see portOf. */
export const backendPortOf = (config: StackConfig, backend: string, portName?: string): number =>
  portOf(backendOf(config, backend), portName);

/** That port of each member of `backend`: one in the single topology, all its members' in a cluster. */
export const memberPortsOf = (config: StackConfig, backend: string, portName?: string): number[] =>
  backendOf(config, backend).members.map((m) => portOf(m, portName));

/** A port from variable `name`, else `fallback`; a bad value stops the command with one line. */
export function portFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = numberIn(raw, { min: 1, max: 65535, integer: true });
  if (port === undefined)
    throw obskitError('OBSKIT_E_BAD_ENV', name, raw, 'a port number from 1 to 65535');
  return port;
}

function bindsNow(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () =>
      server.close(() => resolve(true)),
    );
  });
}

/**
 * Whether the port can be bound within a second. Ports such as 50051 lie in Linux's ephemeral
 * range (32768-60999), where any process's outgoing connection may hold one for a moment; a
 * listener holds it for good.
 */
export function portFree(port: number): Promise<boolean> {
  return waitFor(() => bindsNow(port), 1000, 250);
}
