import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  decodeEvent,
  type SteEventRow,
  type StePredRow,
  type SummarizerEventRow,
  type SummarizerPredRow,
  tableNamed,
} from '../../schemas/index.js';
import { EVENTS } from '../helpers/dvaultEvents.js';

describe('row types derived from the codecs', () => {
  it('types nested prediction columns from the field codecs', () => {
    expectTypeOf<SummarizerPredRow['input_sentences_scores']>().toEqualTypeOf<
      { sentence: string | null; score: number | null }[] | null
    >();
    expectTypeOf<StePredRow['context']>().toEqualTypeOf<{
      paragraph: number | null;
      sentence: number | null;
    }>();
  });

  it('types evaluation payload columns and the closed set of types', () => {
    expectTypeOf<SteEventRow['media_id']>().toEqualTypeOf<string | null>();
    expectTypeOf<SummarizerEventRow['type']>().toEqualTypeOf<
      'PUBLISH' | 'DELETE SLIDE' | 'DELETE'
    >();
  });

  it('names exactly the columns a decoded row has', () => {
    const decoded = decodeEvent(EVENTS.ste_pred(), {
      now: Date.UTC(2026, 0, 1),
    });
    const row = (E.isRight(decoded)
      ? decoded.right.row
      : {}) as unknown as StePredRow;
    const typedKeys: (keyof StePredRow)[] = [
      'event_id',
      'event_time',
      'version',
      'account',
      'region',
      'resources',
      'shape_id',
      'partition_key',
      'service',
      'template_dvault_version',
      'prediction_id',
      'predicted_at',
      'service_version',
      'context',
      'input_paragraph',
      'output_sentence',
      'output_search_terms',
      'output_scores',
      'detail_tags',
      'extra',
      'source_bucket',
      'source_key',
      'source_etag',
      'source_version_id',
      'source_index',
      'source_offset',
      'ingested_at',
    ];

    expect(Object.keys(row).sort()).toEqual([...typedKeys].sort());
    expect(
      tableNamed('ste_pred')
        ?.columns.map((c) => c.name)
        .sort(),
    ).toEqual([...typedKeys].sort());
  });
});
