// The span limits the SDK's TracerProvider applies by default (it reads no variable for them).

export const spanLimits = {
  attributeCount: 128,
  eventCount: 128,
  linkCount: 128,
  attributesPerEvent: 128,
  attributesPerLink: 128,
} as const;
