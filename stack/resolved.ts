// What a backend's file reads of the resolved stack: its ports and where binaries live. Apart
// from config.ts, which imports every backend through the manifest, so backends can import it.

import { join } from 'node:path';
import type { Backend, ResolvedPort, StackConfig } from './config';

export function mainPort(backend: Backend): ResolvedPort {
  return backend.resolvedPorts[0] as ResolvedPort;
}

export const binDir = (config: StackConfig) => join(config.home, 'bin');

/** A backend's port by name as resolved (env overrides included); its first without a name. */
export function portNamed(backend: Backend, portName?: string): number {
  const port = portName
    ? backend.resolvedPorts.find((p) => p.name === portName)
    : backend.resolvedPorts[0];
  if (!port) throw new Error(`no port ${portName ?? ''} for ${backend.name}`);
  return port.port;
}
