// The cluster topology's stores: Elasticsearch's cluster health (from elasticsearch_exporter, one
// beside each node), etcd's members, and Kafka between Jaeger's collector and its ingester. A dashboard of its own, since these series exist only
// when `obskit stack up --topology cluster` (or compose's cluster file) runs: every panel of the
// other dashboards shows data on the single node's demo, and these on the cluster's.

import { alertPanels, uids } from '../../../common/dashboard-ids';
import { alertThreshold } from './alert-rules';
import { clusterMetrics, edgeMetrics, kafkaMetrics, prometheusSeries } from './backend-metrics';
import { buildDashboard } from './dashboard';
import { redBelow, redFrom, statPanel, timeSeries } from './panels';
import { backendRate } from './promql';
import { promInstant, promRange } from './queries';

const { esHealthStatus, esNodes, esUnassignedShards } = clusterMetrics;
const { etcdHasLeader, etcdLeaderChanges } = edgeMetrics;

/** The alerts' number: 0 green, 1 yellow, 2 red, the worst any exporter left reports. */
const colour = (name: string) => `max by (cluster) (${esHealthStatus.name}{color="${name}"})`;
export const esHealthExpr = `${colour('yellow')} + 2 * ${colour('red')}`;

const etcdJob = 'job=~".*etcd.*"';

const elasticsearch = [
  statPanel({
    title: 'Elasticsearch cluster health',
    description:
      '0 green, 1 yellow (a replica unassigned: ElasticsearchClusterYellow after 10 minutes), 2 red (a primary unassigned: ElasticsearchClusterRed after 1 minute), as the nodes still up report it.',
    unit: 'none',
    id: alertPanels.esClusterHealth,
    thresholds: redFrom(
      alertThreshold('ElasticsearchClusterYellow'),
      alertThreshold('ElasticsearchClusterRed'),
    ),
    targets: [promInstant(esHealthExpr, '{{cluster}}')],
  }),
  statPanel({
    title: 'Elasticsearch nodes',
    description: 'Nodes in the cluster as its master counts them: 3 in the cluster topology.',
    unit: 'none',
    targets: [promInstant(`max by (cluster) (${esNodes.name})`, '{{cluster}}')],
  }),
  timeSeries({
    title: 'Unassigned shards',
    description:
      'Shard copies the cluster has no node for: those of a node that left, until it returns or the copies are rebuilt on the others.',
    unit: 'short',
    span: 12,
    targets: [promRange(`max by (cluster) (${esUnassignedShards.name})`, '{{cluster}}')],
  }),
];

const etcd = [
  statPanel({
    title: 'etcd members up',
    description: 'Members Prometheus scrapes: 3 in the cluster topology; 2 keep the quorum.',
    unit: 'none',
    targets: [promInstant(`sum by (job) (${prometheusSeries.up.name}{${etcdJob}})`, '{{job}}')],
  }),
  statPanel({
    title: 'etcd members down',
    description:
      'Members not scraped, red from one (etcdMembersDown fires after 1 minute): a second one lost of three stops every write.',
    unit: 'none',
    id: alertPanels.etcdMembersDown,
    thresholds: redFrom(alertThreshold('etcdMembersDown')),
    targets: [
      promInstant(`sum by (job) (${prometheusSeries.up.name}{${etcdJob}} == bool 0)`, '{{job}}'),
    ],
  }),
  statPanel({
    title: 'etcd members with a leader',
    description:
      'Each member up: 1 while it sees a leader (etcdNoLeader fires after 1 minute at 0).',
    unit: 'none',
    thresholds: redBelow(1),
    targets: [promInstant(`max by (instance) (${etcdHasLeader.name}{${etcdJob}})`, '{{instance}}')],
  }),
  timeSeries({
    title: 'etcd leader changes seen',
    description:
      'Elections each member has seen since it started: a step on the members left when the leader is lost.',
    unit: 'short',
    span: 6,
    targets: [
      promRange(`max by (instance) (${etcdLeaderChanges.name}{${etcdJob}})`, '{{instance}}'),
    ],
  }),
];

const { kafkaExporterRecords, kafkaReceiverRecords, kafkaReceiverOffsetLag } = kafkaMetrics;
const success = '{outcome="success"}';

/** Kafka between Jaeger's collector and its ingester. */
const kafka = [
  timeSeries({
    title: 'Kafka consumer lag of the ingester',
    description:
      'Records of each partition the ingester has yet to read, as it last saw them: recorded after each batch it wrote, so it stands still while it waits on Elasticsearch and climbs as it drains.',
    unit: 'short',
    targets: [
      promRange(
        `max by (topic, partition) (${kafkaReceiverOffsetLag.name})`,
        '{{topic}} partition {{partition}}',
      ),
    ],
  }),
  timeSeries({
    title: 'Kafka: written minus read',
    description:
      'Records per second the collector wrote to each topic less those the ingester read: above the dashed line for 10 minutes, IngesterLagGrowing fires.',
    unit: 'short',
    id: alertPanels.ingesterLag,
    thresholds: redFrom(alertThreshold('IngesterLagGrowing')),
    targets: [
      promRange(
        `${backendRate('topic', kafkaExporterRecords.name + success)} - ${backendRate('topic', kafkaReceiverRecords.name + success)}`,
        '{{topic}}',
      ),
    ],
  }),
];

export const cluster = () =>
  buildDashboard({
    uid: uids.cluster,
    title: 'obskit / Cluster',
    description:
      'The cluster topology: Elasticsearch’s health, nodes and unassigned shards, etcd’s members, their leader and elections, Kafka’s consumer lag of Jaeger’s ingester.',
    variables: [],
    rows: [
      { title: 'Elasticsearch', panels: elasticsearch },
      { title: 'etcd', panels: etcd },
      { title: 'Kafka', panels: kafka },
    ],
  });
