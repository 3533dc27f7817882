import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The real dvault files laid beside the repository (`../shared/samples`).
 * They are test data only and are never copied into the repository.
 */
export const SHARED_SAMPLES_DIR = resolve(
  import.meta.dirname,
  '../../../shared/samples',
);

/** Every landed sample file's path, sorted by name. */
export function sampleFiles(): string[] {
  return readdirSync(SHARED_SAMPLES_DIR)
    .filter((name) => name.startsWith('dvault-'))
    .sort()
    .map((name) => join(SHARED_SAMPLES_DIR, name));
}

/**
 * Every event of the real samples, parsed. The files hold objects back to
 * back; this splits them the simple way, which is enough for known-good data.
 */
export function sampleEvents(): unknown[] {
  return sampleFiles().flatMap((file) => {
    const text = readFileSync(file, 'utf8');
    return JSON.parse(`[${text.replaceAll('}{"version"', '},{"version"')}]`);
  });
}

/** Per-table counts from `../shared/samples/README.md`. */
export const SAMPLE_COUNTS = {
  summarizer_event: 380,
  summarizer_pred: 15,
  headliner_event: 22,
  headliner_pred: 15,
  ste_event: 314,
  ste_pred: 26,
  semantic_image_matcher_event: 8,
  image_tagging_event: 0,
} as const;

/** Events in the samples that cannot be routed to a table. */
export const SAMPLE_UNROUTABLE = 2;
