// obskit's public API (`require('obskit')`). Importing it has no side effects.

export type { TelemetryStats } from './stats';
export { telemetryStats } from './stats';
