// The gateway's HTTP API: JSON CRUD and list of entities, a health endpoint, and one error
// handler that turns every failure into a status and a clear message.

import express, { type NextFunction, type Request, type Response } from 'express';
import { logger } from 'obskit/logger';
import type { FaultInjector } from '../common/faults';
import { isStopping } from '../common/lifecycle';
import type { EntityClient } from './entity-client';
import { HttpError, httpErrorOf } from './http-errors';
import { entityChanges, entityId, listLimit } from './validation';

const bodyLimitBytes = 16 * 1024;

export function gatewayApp(entities: EntityClient, faults: FaultInjector): express.Express {
  const app = express();
  app.disable('x-powered-by');

  app.get('/health', (_req, res) => {
    const entityService = entities.state();
    res.status(isStopping() ? 503 : 200).json({
      status: isStopping() ? 'stopping' : 'ok',
      entityService,
    });
  });

  const api = express.Router();
  api.use(async (_req, _res, next) => {
    await faults.delay();
    if (faults.shouldFail()) throw new HttpError(500, 'injected error');
    if (faults.isDown('entity-service'))
      throw new HttpError(503, 'entity-service is unreachable (injected outage)');
    next();
  });
  api.use(express.json({ limit: bodyLimitBytes }));

  api.post('/', async (req, res) => {
    const entity = await entities.create(entityChanges(req.body));
    res.status(201).location(`/entities/${entity.id}`).json(entity);
  });
  api.get('/', async (req, res) => {
    res.json({ entities: await entities.list(listLimit(req.query.limit)) });
  });
  api.get('/:id', async (req, res) => {
    res.json(await entities.get(entityId(req.params.id)));
  });
  api.put('/:id', async (req, res) => {
    const id = entityId(req.params.id);
    res.json(await entities.update(id, entityChanges(req.body)));
  });
  api.delete('/:id', async (req, res) => {
    await entities.remove(entityId(req.params.id));
    res.status(204).end();
  });
  app.use('/entities', api);

  app.use((req) => {
    throw new HttpError(404, `no route ${req.method} ${req.path}; see GET /entities`);
  });
  app.use(errorHandler);
  return app;
}

function errorHandler(error: unknown, req: Request, res: Response, _next: NextFunction): void {
  const { status, message } = httpErrorOf(error);
  const line = `${req.method} ${req.originalUrl.slice(0, 200)} answered ${status}: ${message}`;
  if (status < 500) logger.warn(line, { 'http.response.status_code': status });
  else logger.error(line, { 'http.response.status_code': status, error });
  res.status(status).json({ error: { status, message } });
}
