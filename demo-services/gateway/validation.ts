// What the gateway accepts, checked before anything is called: each mistake is a 400 that says
// which field is wrong and what would be right.

import { numberIn, rangeText } from '../../common/numbers';
import { HttpError } from './http-errors';

export interface EntityChanges {
  name: string;
  attributes: Record<string, string>;
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const limits = { name: 200, attributes: 32, key: 64, value: 1024 };
const bad = (message: string) => new HttpError(400, message);

export function entityId(id: string): string {
  if (!uuid.test(id)) throw bad(`id '${id.slice(0, 64)}' is not a lowercase UUID`);
  return id;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function attributesOf(value: unknown): Record<string, string> {
  if (value === undefined) return {};
  if (!isObject(value)) throw bad('attributes must be an object of strings');
  const entries = Object.entries(value);
  if (entries.length > limits.attributes)
    throw bad(`attributes has ${entries.length} keys; at most ${limits.attributes} are allowed`);
  for (const [key, item] of entries) {
    if (key.length === 0 || key.length > limits.key)
      throw bad(`attribute names must be 1 to ${limits.key} characters`);
    if (typeof item !== 'string' || item.length > limits.value)
      throw bad(`attribute '${key}' must be a string of at most ${limits.value} characters`);
  }
  return value as Record<string, string>;
}

/** The body of POST /entities and PUT /entities/:id. */
export function entityChanges(body: unknown): EntityChanges {
  if (!isObject(body)) throw bad('the body must be a JSON object (Content-Type: application/json)');
  for (const field of Object.keys(body)) {
    if (field !== 'name' && field !== 'attributes')
      throw bad(`unknown field '${field.slice(0, 64)}'; an entity has name and attributes`);
  }
  const { name } = body;
  if (typeof name !== 'string' || name.trim() === '' || name.length > limits.name)
    throw bad(`name must be a non-blank string of at most ${limits.name} characters`);
  return { name, attributes: attributesOf(body.attributes) };
}

/** ?limit= of GET /entities: 1 to 100, default 20. */
export function listLimit(raw: unknown): number {
  if (raw === undefined) return 20;
  const range = { min: 1, max: 100, integer: true };
  const limit = typeof raw === 'string' ? numberIn(raw, range) : undefined;
  if (limit === undefined) throw bad(`limit must be ${rangeText(range)}`);
  return limit;
}
