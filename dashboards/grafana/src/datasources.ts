// The datasources the dashboards query, by the fixed uids of provisioning/datasources/obskit.yaml
// (a test checks every uid a panel names is provisioned).

export const prometheus = { type: 'prometheus', uid: 'obskit-prometheus' } as const;
export const jaeger = { type: 'jaeger', uid: 'obskit-jaeger' } as const;
export const elasticsearch = { type: 'elasticsearch', uid: 'obskit-elasticsearch' } as const;

export type DatasourceRef = typeof prometheus | typeof jaeger | typeof elasticsearch;
