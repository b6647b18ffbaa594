// --topology, which every command that reads or runs the local stack takes (stack, logs, trace):
// it wins over OBSKIT_TOPOLOGY, so the command talks to the members of the topology named.

import { obskitError } from '../common/errors';
import { isTopology, topologies } from '../stack/config';
import { localStackConfig } from '../stack/local-stack';
import type { StackConfig } from '../stack/types';

/** The option as the commands' tables declare it. */
export const topologyOption = { topology: { type: 'string' } } as const;

/** --topology wins over OBSKIT_TOPOLOGY; a value that is neither topology is a usage error. */
export function envWithTopology(topology: string | undefined): NodeJS.ProcessEnv {
  if (topology === undefined) return process.env;
  if (!isTopology(topology))
    throw obskitError(
      'OBSKIT_E_USAGE',
      `--topology ${JSON.stringify(topology)} is not ${topologies.join(' or ')}`,
    );
  return { ...process.env, OBSKIT_TOPOLOGY: topology };
}

/** The local stack in the topology the command line (or OBSKIT_TOPOLOGY) names. */
export const stackConfigOf = (topology: string | undefined): StackConfig =>
  localStackConfig(envWithTopology(topology));
