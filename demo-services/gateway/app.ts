// The gateway's HTTP API: JSON CRUD and list of entities, a health endpoint, one access line
// per request, and one error handler that turns every failure into a status and a clear message.

import express, { type NextFunction, type Request, type Response } from 'express';
import type { FaultInjector } from '../common/faults';
import { isStopping } from '../common/lifecycle';
import { accessLog, noteFailure } from './access-log';
import type { EntityClient } from './entity-client';
import { HttpError, httpErrorOf } from './http-errors';
import { entityChanges, entityId, listLimit } from './validation';

const bodyLimitBytes = 16 * 1024;

export function gatewayApp(entities: EntityClient, faults: FaultInjector): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(accessLog);

  app.get('/health', (_req, res) => {
    const entityService = entities.state();
    res.status(isStopping() ? 503 : 200).json({
      status: isStopping() ? 'stopping' : 'ok',
      entityService,
    });
  });

  const injectFaults = async (_req: Request, _res: Response, next: NextFunction) => {
    await faults.delay();
    if (faults.shouldFail()) throw new HttpError(500, 'injected error');
    if (faults.isDown('entity-service'))
      throw new HttpError(503, 'entity-service is unreachable (injected outage)');
    next();
  };
  app.use('/entities', injectFaults, express.json({ limit: bodyLimitBytes }));
  // Whole templates, not a mounted router: req.route.path then names the route on the access
  // line, also after an error has left the router.

  app.post('/entities', async (req, res) => {
    const entity = await entities.create(entityChanges(req.body));
    res.status(201).location(`/entities/${entity.id}`).json(entity);
  });
  app.get('/entities', async (req, res) => {
    res.json({ entities: await entities.list(listLimit(req.query.limit)) });
  });
  app.get('/entities/:id', async (req, res) => {
    res.json(await entities.get(entityId(req.params.id)));
  });
  app.put('/entities/:id', async (req, res) => {
    const id = entityId(req.params.id);
    res.json(await entities.update(id, entityChanges(req.body)));
  });
  app.delete('/entities/:id', async (req, res) => {
    await entities.remove(entityId(req.params.id));
    res.status(204).end();
  });

  app.use((req) => {
    throw new HttpError(404, `no route ${req.method} ${req.path}; see GET /entities`);
  });
  app.use(errorHandler);
  return app;
}

/** The answer says what went wrong; the access line says it too, with the error of a 5xx. */
function errorHandler(error: unknown, _req: Request, res: Response, _next: NextFunction): void {
  const { status, message } = httpErrorOf(error);
  noteFailure(res, status < 500 ? { message } : { message, error });
  res.status(status).json({ error: { status, message } });
}
