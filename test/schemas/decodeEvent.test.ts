import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import {
  type CleanEvent,
  DirtyKind,
  type DirtyVerdict,
  decodeEvent,
} from '../../schemas/index.js';
import { bodyOf, EVENTS } from '../helpers/dvaultEvents.js';
import {
  SAMPLE_COUNTS,
  SAMPLE_UNROUTABLE,
  sampleEvents,
} from '../helpers/samples.js';
import { GOLDEN_OPTIONS, goldenCases, readGolden } from './goldenRows.js';

type Json = Record<string, any>;

const NOW = GOLDEN_OPTIONS.now as number;

function clean(value: unknown): CleanEvent {
  const decoded = decodeEvent(value, GOLDEN_OPTIONS);
  if (E.isLeft(decoded)) {
    throw new Error(
      `Expected a clean event: ${JSON.stringify(decoded.left.reasons)}`,
    );
  }
  return decoded.right;
}

function dirty(value: unknown): DirtyVerdict {
  const decoded = decodeEvent(value, { now: NOW });
  if (E.isRight(decoded)) throw new Error('Expected a dirty event.');
  return decoded.left;
}

describe('decodeEvent on golden events', () => {
  it.each(goldenCases())('gives the golden row for %s', (name) => {
    const decoded = clean(readGolden(name, 'event'));

    expect({
      table: decoded.table.name,
      row: decoded.row,
      unknownFields: decoded.unknownFields,
    }).toEqual(readGolden(name, 'row'));
  });

  it('keeps exactly the table columns, in order, in every golden row', () => {
    for (const name of goldenCases()) {
      const { table, row } = clean(readGolden(name, 'event'));

      expect(Object.keys(row)).toEqual(table.columns.map((c) => c.name));
    }
  });
});

describe('decodeEvent normalisations', () => {
  it('stores an integer media_id as text', () => {
    const row = clean(readGolden('ste_event_integer_media_id', 'event')).row;

    expect(row.media_id).toBe('67726');
  });

  it('keeps a null paragraph and an absent text as nulls', () => {
    const row = clean(
      readGolden('summarizer_event_null_paragraph', 'event'),
    ).row;

    expect(row).toMatchObject({
      type: 'DELETE SLIDE',
      paragraph: null,
      text: null,
      slide: 'cn',
    });
  });

  it('keeps the integer -1 score of an unscored sentence as a number', () => {
    const row = clean(readGolden('summarizer_pred', 'event')).row;

    expect(row.input_sentences_scores).toEqual([
      { sentence: 'Board members ask about risk.', score: 0.4211 },
      { sentence: 'Plan for incidents.', score: -1 },
    ]);
  });

  it('accepts a summarizer DELETE without payload, payload columns null', () => {
    const row = clean(
      readGolden('summarizer_event_delete_without_payload', 'event'),
    ).row;

    expect(row).toMatchObject({
      type: 'DELETE',
      text: null,
      paragraph: null,
      slide: null,
    });
  });

  it('takes the service from prediction_id when the body has none', () => {
    const decoded = clean(
      readGolden('summarizer_event_service_from_prediction_id', 'event'),
    );

    expect(decoded.table.name).toBe('summarizer_event');
    expect(decoded.row.service).toBe('summarizer');
  });

  it('reads an ste prediction with an empty input as a null paragraph', () => {
    const row = clean(readGolden('ste_pred_empty_input', 'event')).row;

    expect(row.input_paragraph).toBeNull();
    expect(row.context).toEqual({ paragraph: 3, sentence: 1 });
  });

  it('turns a bare string list into one element and "null" into null', () => {
    const row = clean(readGolden('ste_event_bare_string_lists', 'event')).row;

    expect(row.query).toEqual(['person']);
    expect(row.tags).toBeNull();
  });

  it('keeps unknown fields as JSON text in extra, keyed by path', () => {
    const decoded = clean(readGolden('ste_event_unknown_fields', 'event'));

    expect(JSON.parse(decoded.row.extra as string)).toEqual({
      note: 'added by a newer producer',
      'detail.evaluation.payload.experiment_arm': 'b',
    });
    expect(decoded.unknownFields).toEqual([
      'detail.evaluation.payload.experiment_arm',
      'note',
    ]);
  });

  it('keys an unknown field whose name holds a dot apart from a nested one of the same spelling', () => {
    const event = EVENTS.headliner_event() as Json;
    bodyOf(event)['payload.x'] = 'from the body';
    bodyOf(event).payload.x = 'from the payload';
    event['odd key'] = 1;

    const decoded = clean(event);

    expect(JSON.parse(decoded.row.extra as string)).toEqual({
      '["odd key"]': 1,
      'detail.evaluation["payload.x"]': 'from the body',
      'detail.evaluation.payload.x': 'from the payload',
    });
  });

  it('converts ISO and epoch times to epoch milliseconds', () => {
    const row = clean(EVENTS.headliner_event()).row;

    expect(row.event_time).toBe(Date.UTC(2022, 3, 27, 15, 7, 13));
    expect(row.evaluated_at).toBe(1651072028395);
  });

  it('fills provenance columns from the options and leaves them null without', () => {
    const withSource = clean(EVENTS.headliner_event()).row;
    const without = decodeEvent(EVENTS.headliner_event(), { now: NOW });

    expect(withSource).toMatchObject({
      source_bucket: 'landing',
      source_index: 4,
      source_offset: 10240,
    });
    expect(E.isRight(without) && without.right.row.source_bucket).toBeNull();
  });
});

const DIRTY_CASES: [string, (event: Json) => void, DirtyKind, string][] = [
  [
    'a missing event id',
    (e) => {
      delete e.id;
    },
    DirtyKind.Invalid,
    'id',
  ],
  [
    'an empty shape_id',
    (e) => {
      bodyOf(e).shape_id = '';
    },
    DirtyKind.Invalid,
    'detail.evaluation.shape_id',
  ],
  [
    'a fractional paragraph',
    (e) => {
      bodyOf(e).payload.paragraph = 1.5;
    },
    DirtyKind.Invalid,
    'detail.evaluation.payload.paragraph',
  ],
  [
    'an object where text belongs',
    (e) => {
      bodyOf(e).payload.text = { html: 'x' };
    },
    DirtyKind.Invalid,
    'detail.evaluation.payload.text',
  ],
  [
    'an unknown evaluation type',
    (e) => {
      bodyOf(e).type = 'SHARE';
    },
    DirtyKind.Invalid,
    'detail.evaluation.type',
  ],
  [
    'a foreign source',
    (e) => {
      e.source = 'aws.s3';
    },
    DirtyKind.Invalid,
    'source',
  ],
  [
    'a short account id',
    (e) => {
      e.account = '1234';
    },
    DirtyKind.Invalid,
    'account',
  ],
  [
    'a time without zone',
    (e) => {
      e.time = '2022-04-27 15:07:13';
    },
    DirtyKind.Invalid,
    'time',
  ],
  [
    'detail.type disagreeing with detail-type',
    (e) => {
      e.detail.type = 'DVaultPredictionEvent';
    },
    DirtyKind.Invalid,
    'detail.type',
  ],
  [
    'detail.id disagreeing with the body id',
    (e) => {
      e.detail.id = 'other';
    },
    DirtyKind.Invalid,
    'detail.id',
  ],
  [
    'detail.timestamp disagreeing with the body',
    (e) => {
      e.detail.timestamp += 1;
    },
    DirtyKind.Invalid,
    'detail.timestamp',
  ],
  [
    'a timestamp before 2020',
    (e) => {
      bodyOf(e).timestamp = Date.UTC(2019, 11, 31);
      e.detail.timestamp = Date.UTC(2019, 11, 31);
    },
    DirtyKind.Invalid,
    'detail.evaluation.timestamp',
  ],
  [
    'a timestamp two days after processing',
    (e) => {
      const t = NOW + 2 * 86_400_000;
      bodyOf(e).timestamp = t;
      e.detail.timestamp = t;
    },
    DirtyKind.Invalid,
    'detail.evaluation.timestamp',
  ],
  [
    'a PUBLISH without payload',
    (e) => {
      delete bodyOf(e).payload;
    },
    DirtyKind.Invalid,
    'detail.evaluation.payload',
  ],
  [
    'no service and no prediction_id',
    (e) => {
      delete bodyOf(e).service;
      bodyOf(e).prediction_id = null;
    },
    DirtyKind.Unroutable,
    'detail.evaluation.service',
  ],
  [
    'an unknown service',
    (e) => {
      bodyOf(e).service = 'translator';
    },
    DirtyKind.UnknownService,
    'detail.evaluation.service',
  ],
  [
    'an unknown detail-type',
    (e) => {
      e['detail-type'] = 'DVaultOtherEvent';
    },
    DirtyKind.Unroutable,
    'detail-type',
  ],
];

describe('decodeEvent on broken events', () => {
  it.each(DIRTY_CASES)('reports %s', (_, breakEvent, kind, path) => {
    const event = EVENTS.summarizer_event() as Json;
    breakEvent(event);

    const verdict = dirty(event);

    expect(verdict.kind).toBe(kind);
    expect(verdict.reasons.map((r) => r.path)).toContain(path);
  });

  it('names the path, expectation and value in a readable message', () => {
    const event = EVENTS.summarizer_event() as Json;
    bodyOf(event).payload.paragraph = 'two';

    const [reason] = dirty(event).reasons;

    expect(reason).toEqual({
      path: 'detail.evaluation.payload.paragraph',
      expected: 'integer or null',
      actual: '"two"',
      message:
        'detail.evaluation.payload.paragraph: expected integer or null, found "two".',
    });
  });

  it('lists every failure of an event, not only the first', () => {
    const event = EVENTS.ste_pred() as Json;
    bodyOf(event).output.scores = [0.1, 'high'];
    bodyOf(event).context.paragraph = -0.5;
    delete bodyOf(event).shape_id;

    const paths = dirty(event).reasons.map((r) => r.path);

    expect(paths).toEqual([
      'detail.prediction.shape_id',
      'detail.prediction.context.paragraph',
      'detail.prediction.output.scores[1]',
    ]);
  });

  it('adds the cross-field faults of an event its codec refuses', () => {
    const event = EVENTS.summarizer_event() as Json;
    event.account = '1';
    event.time = '2019-06-01T00:00:00Z';
    event.detail.id = 'another-id';
    event.detail.timestamp = bodyOf(event).timestamp + 1;
    delete bodyOf(event).payload;

    const reasons = dirty(event).reasons;

    expect(reasons.map((r) => r.path)).toEqual([
      'account',
      'detail.id',
      'detail.timestamp',
      'time',
      'detail.evaluation.payload',
    ]);
    expect(reasons[3].actual).toBe('"2019-06-01T00:00:00.000Z"');
  });

  it('compares no field of the wrong JSON type when the codec refuses it', () => {
    const event = EVENTS.summarizer_pred() as Json;
    event.detail.id = 7;
    event.detail.timestamp = '1648544408000';
    event.time = 'yesterday';

    const reasons = dirty(event).reasons;

    expect(reasons.map((r) => [r.path, r.actual])).toEqual([
      ['time', '"yesterday"'],
      ['detail.id', '7'],
      ['detail.timestamp', '"1648544408000"'],
    ]);
  });

  it.each([
    [
      'a media_id integer past 2^53',
      'ste_event',
      (event: Json) => {
        bodyOf(event).payload.media_id = 2 ** 64;
      },
      'detail.evaluation.payload.media_id',
      /^a string, or an integer of at most 2\^53 \(a larger one loses digits/,
    ],
    [
      'image_tags written as "null"',
      'image_tagging_event',
      (event: Json) => {
        bodyOf(event).payload.image_tags = 'null';
      },
      'detail.evaluation.payload.image_tags',
      /^at least one label \("null" is how older producers wrote no list at all\)$/,
    ],
    [
      'a prediction without service',
      'headliner_pred',
      (event: Json) => {
        delete bodyOf(event).service;
      },
      'detail.prediction.service',
      /^a service name$/,
    ],
  ] as const)(
    'says what is expected of %s',
    (_, table, breakEvent, path, expected) => {
      const event = EVENTS[table]() as Json;
      breakEvent(event);

      const [reason] = dirty(event).reasons;

      expect(reason?.path).toBe(path);
      expect(reason?.expected).toMatch(expected);
    },
  );

  it('reports an ste prediction whose scores and terms differ in number', () => {
    const event = EVENTS.ste_pred() as Json;
    bodyOf(event).output.scores = [0.3];

    expect(dirty(event).reasons.map((r) => r.path)).toEqual([
      'detail.prediction.output.scores',
    ]);
  });

  it('carries the event id and the intended table in the verdict', () => {
    const event = EVENTS.ste_event() as Json;
    bodyOf(event).payload.media_id = 1.25;

    const verdict = dirty(event);

    expect(verdict.eventId).toBe(event.id);
    expect(verdict.table?.name).toBe('ste_event');
  });
});

describe('decodeEvent on the real samples', () => {
  it('routes the 782 sample events to the tables the samples README counts', () => {
    const clean: Record<string, number> = {};
    const dirtyEvents: DirtyVerdict[] = [];

    for (const event of sampleEvents()) {
      const decoded = decodeEvent(event);
      if (E.isRight(decoded)) {
        clean[decoded.right.table.name] =
          (clean[decoded.right.table.name] ?? 0) + 1;
      } else {
        dirtyEvents.push(decoded.left);
      }
    }

    const { image_tagging_event: _none, ...present } = SAMPLE_COUNTS;
    expect(clean).toEqual(present);
    expect(dirtyEvents).toHaveLength(SAMPLE_UNROUTABLE);
    for (const verdict of dirtyEvents) {
      expect(verdict.kind).toBe(DirtyKind.Unroutable);
      expect(verdict.reasons[0]?.message).toContain(
        'prediction_id ending in #<service>',
      );
    }
  });
});
