// `obskit demo`: the local stack up until Ctrl-C, then down again — only what this run started.
// The demo services and their load join in a later step; until then it shows the stack.

import { resolveStackConfig } from '../stack/config';
import { installStack } from '../stack/install';
import { runningBackends, stackDown, stackUp } from '../stack/lifecycle';
import { formatTable } from './stack-command';

const log = (line: string) => process.stdout.write(`${line}\n`);

export async function runDemo(): Promise<number> {
  const config = resolveStackConfig();
  await installStack(config, config.backends, log);
  const alreadyRunning = runningBackends(config);
  const started = config.backends.filter((b) => !alreadyRunning.includes(b));
  const stop = waitForStopSignal();
  try {
    const statuses = await stackUp(config, config.backends, 180_000, log);
    log(formatTable(statuses));
    log(
      `\ndata and logs: ${config.runDir}\nthe stack is up; press Ctrl-C to stop what this demo started`,
    );
    await stop;
  } finally {
    log('stopping…');
    await stackDown(config, started, log);
  }
  return 0;
}

function waitForStopSignal(): Promise<void> {
  // Signal listeners alone do not keep node running; this timer does until the signal comes.
  const keepAlive = setInterval(() => {}, 60_000);
  return new Promise((resolve) => {
    const stop = () => {
      clearInterval(keepAlive);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
