// Every backend of the local stack, in start order: one file each in this folder.

import { alertmanager } from './alertmanager';
import { elasticsearch } from './elasticsearch';
import { elasticsearchExporter } from './elasticsearch-exporter';
import { etcd } from './etcd';
import { ferretdb } from './ferretdb';
import { jaeger } from './jaeger';
import { kafka } from './kafka';
import { otelcol } from './otelcol';
import { prometheus } from './prometheus';
import { redis } from './redis';
import { rsyslog } from './rsyslog';
import { traefik } from './traefik';

export const backends = [
  jaeger,
  prometheus,
  alertmanager,
  elasticsearch,
  elasticsearchExporter,
  kafka,
  rsyslog,
  otelcol,
  redis,
  ferretdb,
  etcd,
  traefik,
] as const;
