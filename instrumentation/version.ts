// obskit's own version, for instrumentation scopes and the telemetry.distro resource attribute.

export const obskitVersion = (require('../../package.json') as { version: string }).version;
