// Turns a collectors/ config written for compose into the local stack's copy:
// compose host names and 0.0.0.0 become 127.0.0.1, overridden ports are applied, and a list
// holding a backend that runs as members lists every member.

import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Backend, LaunchContext, Member, ResolvedPort } from './types';

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const hostsOf = (backend: Backend) =>
  `(?:0\\.0\\.0\\.0|localhost|127\\.0\\.0\\.1|${escapeRegExp(backend.host)})`;

/** Where a member's port `name` is reached from a client of the stack. */
type MemberAddress = (member: Member, port: ResolvedPort) => string;

/** Locally: every member on loopback, on the port of its own. */
const onLoopback: MemberAddress = (member, port) =>
  `127.0.0.1:${member.resolvedPorts.find((r) => r.name === port.name)?.port}`;

/** In compose: each member is a service of its own name on the backend's own port. */
const asComposeService: MemberAddress = (member, port) => `${member.name}:${port.defaultPort}`;

/**
 * A one-address list of a backend that runs as members (`["etcd:2379"]`, as Traefik's
 * endpoints and Prometheus' targets are written) becomes the list of every member's address;
 * of a backend that does not run in this topology, an empty list.
 */
function listMembers(text: string, backend: Backend, address: MemberAddress): string {
  if (backend.members.length === 1) return text;
  let result = text;
  for (const p of backend.resolvedPorts) {
    const one = new RegExp(
      `\\[\\s*(["'])([a-z]+://)?${hostsOf(backend)}:${p.defaultPort}\\1\\s*\\]`,
      'g',
    );
    result = result.replace(one, (_, quote: string, scheme = '') => {
      const each = backend.members.map((m) => `${quote}${scheme}${address(m, p)}${quote}`);
      return `[${each.join(', ')}]`;
    });
  }
  return result;
}

/**
 * compose's variant of a collectors/ file for the cluster topology: the same text, each
 * one-address list of a backend with members listing every member as its compose service
 * (`["etcd-1:2379", "etcd-2:2379", "etcd-3:2379"]`); nothing else changes.
 */
export function listComposeMembers(text: string, backends: readonly Backend[]): string {
  return backends.reduce((result, backend) => listMembers(result, backend, asComposeService), text);
}

export function localize(text: string, backends: readonly Backend[]): string {
  let result = text;
  for (const backend of backends) {
    result = listMembers(result, backend, onLoopback);
    for (const p of backend.resolvedPorts) {
      const hosts = hostsOf(backend);
      result = result
        .replace(new RegExp(`\\b${hosts}:${p.defaultPort}\\b`, 'g'), `127.0.0.1:${p.port}`)
        .replace(new RegExp(`\\bport="${p.defaultPort}"`, 'g'), `port="${p.port}"`);
    }
  }
  return result.replace(/\b0\.0\.0\.0\b/g, '127.0.0.1');
}

/** Copies a config directory, localizing every file; returns the destination. */
export function renderDir(
  source: string,
  destination: string,
  backends: readonly Backend[],
): string {
  mkdirSync(destination, { recursive: true });
  for (const entry of readdirSync(source)) {
    const from = join(source, entry);
    const to = join(destination, entry);
    if (statSync(from).isDirectory()) renderDir(from, to, backends);
    else writeFileSync(to, localize(readFileSync(from, 'utf8'), backends));
  }
  return destination;
}

/** Renders one collectors/ folder into the backend's run directory; returns the copy. */
export function renderCollector(context: LaunchContext, folder: string): string {
  const source = join(context.config.packageRoot, 'collectors', folder);
  return renderDir(source, join(context.dir, 'config'), context.config.backends);
}
