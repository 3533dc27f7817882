/**
 * One way an event breaks the contract: the path of the offending field,
 * what the contract expects there, what was found, and a sentence for people.
 */
export interface DirtyReason {
  path: string;
  expected: string;
  actual: string;
  message: string;
}

const MAX_ACTUAL_LENGTH = 200;

/**
 * Renders a value for a reason's `actual`: JSON text, cut to a readable
 * length, and never throwing (cycles, deep nesting, non-finite numbers).
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing (the field is absent)';
  if (typeof value === 'number' && !Number.isFinite(value)) {
    return String(value);
  }
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = Array.isArray(value)
      ? 'an array too deep to print'
      : 'an object too deep to print';
  }
  return text.length > MAX_ACTUAL_LENGTH
    ? `${text.slice(0, MAX_ACTUAL_LENGTH)}… (${text.length} characters)`
    : text;
}

/** Builds a reason whose message names the path, the expectation and the value. */
export function dirtyReason(
  path: string,
  expected: string,
  value: unknown,
): DirtyReason {
  const actual = describeValue(value);
  const where = path === '' ? 'the event' : path;
  return {
    path,
    expected,
    actual,
    message: `${where}: expected ${expected}, found ${actual}.`,
  };
}
