import type { Random } from './random.js';

const WORDS = [
  'board',
  'risk',
  'cyber',
  'security',
  'leader',
  'team',
  'growth',
  'market',
  'customer',
  'strategy',
  'data',
  'model',
  'research',
  'survey',
  'threat',
  'budget',
  'plan',
  'quarter',
  'revenue',
  'product',
  'launch',
  'design',
  'learning',
  'course',
  'slide',
  'training',
  'skills',
  'manager',
  'office',
  'network',
  'cloud',
  'platform',
  'partner',
  'region',
  'country',
  'health',
  'energy',
  'climate',
  'city',
  'future',
  'question',
  'answer',
  'policy',
  'privacy',
  'software',
  'report',
  'value',
  'impact',
  'focus',
  'change',
];

const TAGS = [
  'business',
  'technology',
  'abstract',
  'city',
  'computer',
  'office',
  'people',
  'teamwork',
  'nature',
  'finance',
  'graph',
  'meeting',
  'laptop',
  'Outer Space',
  'Night Sky',
  'handshake',
  'success',
  'network',
  'cloud',
];

/** A sentence of `min` to `max` words, capitalised, with a full stop. */
export function sentence(random: Random, min = 6, max = 18): string {
  const words = Array.from({ length: random.int(min, max) }, () =>
    random.pick(WORDS),
  );
  const text = words.join(' ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

/** A few distinct search terms of one or two words. */
export function terms(random: Random, count: number): string[] {
  return Array.from({ length: count }, () =>
    random.chance(0.5)
      ? random.pick(WORDS)
      : `${random.pick(WORDS)} ${random.pick(WORDS)}`,
  );
}

/** Image tags, some with spaces, as a tagging service returns them. */
export function tags(random: Random, count: number): string[] {
  return Array.from({ length: count }, () => random.pick(TAGS));
}

/** Slide text with the `<strong>` markup the builder puts in. */
export function markedUp(random: Random): string {
  const words = sentence(random).split(' ');
  return words
    .map((word) => (random.chance(0.2) ? `<strong>${word}</strong>` : word))
    .join(' ');
}
