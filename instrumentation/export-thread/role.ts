// Telling the export thread apart: NODE_OPTIONS (-r, --import) loads the preload into every
// worker, ours included, where it must do nothing, or each thread would start another.

import { isMainThread, workerData } from 'node:worker_threads';

export const exportThreadRole = 'obskit-export-thread';

export const isExportThread = (): boolean =>
  !isMainThread && (workerData as { role?: unknown } | undefined)?.role === exportThreadRole;
