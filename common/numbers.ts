// The one parser of ranged numbers from variables and flags. It only answers whether a value
// fits; each caller keeps its own policy for one that does not (the preload warns and uses its
// default, a command stops with one line). It imports nothing, so the preload may use it.

export interface NumberRange {
  /** The smallest value allowed. */
  min: number;
  /** The largest value allowed; Infinity for no bound. */
  max: number;
  /** Only whole numbers. Default false. */
  integer?: boolean;
  /** `min` itself is refused, as in "a positive number". Default false. */
  aboveMin?: boolean;
}

/** The finite number `raw` spells when it lies in `range`, else undefined (blank included). */
export function numberIn(raw: string, range: NumberRange): number | undefined {
  // Number('') is 0: a blank value is no number.
  if (raw.trim() === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < range.min || value > range.max) return undefined;
  if (range.aboveMin && value === range.min) return undefined;
  if (range.integer && !Number.isInteger(value)) return undefined;
  return value;
}

/** The range in words, for messages: "an integer from 1 to 65535", "a number from 0 to 1". */
export function rangeText(range: NumberRange): string {
  return `${range.integer ? 'an integer' : 'a number'} from ${range.min} to ${range.max}`;
}
