import { DetailType, DirtyKind, DVAULT_SOURCE } from '../constants.js';
import { Random } from './random.js';
import { markedUp, sentence, tags, terms } from './vocabulary.js';

/** What to generate. */
export interface GenerateOptions {
  /** How many events in all. */
  events: number;
  /** The same seed gives the same files, byte for byte. */
  seed?: number;
  /** The share of events broken on purpose, from 0 to 1. */
  dirtyShare?: number;
  /** Events per file (the last file may hold fewer). */
  eventsPerFile?: number;
  /** The first event's time, epoch ms. */
  startMs?: number;
}

/** One generated dvault file: its name and its back-to-back JSON text. */
export interface GeneratedFile {
  name: string;
  text: string;
  events: number;
}

/** What the generated events should become: rows per table, dirty per kind. */
export interface GenerationTally {
  clean: Record<string, number>;
  dirty: Record<string, number>;
}

type Json = Record<string, unknown>;

interface Draft {
  table: string;
  service: string;
  body: Json;
  kind: 'prediction' | 'evaluation';
}

const DEFAULT_START_MS = Date.UTC(2025, 5, 2, 9, 0, 0);
const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';

// Shares of each table in the real files, roughly.
const MIX: readonly [number, (g: EventFactory) => Draft][] = [
  [0.4, (g) => g.summarizerEvent()],
  [0.3, (g) => g.steEvent()],
  [0.03, (g) => g.summarizerPrediction()],
  [0.04, (g) => g.headlinePrediction()],
  [0.06, (g) => g.headlineEvent()],
  [0.08, (g) => g.stePrediction()],
  [0.05, (g) => g.imageTaggingEvent()],
  [0.04, (g) => g.semanticImageMatcherEvent()],
];

/**
 * Services whose prediction id is the presentation's: `<shape_id>#<service>`,
 * as the real summarizer and headline write it. Others (ste) give each
 * prediction an id of its own, `<uuid>#<service>`.
 */
const SHAPE_KEYED_PREDICTIONS: ReadonlySet<string> = new Set([
  'summarizer',
  'headline',
]);

class EventFactory {
  readonly random: Random;
  clock: number;
  shape: string;
  /** The last prediction id per shape and service, for evaluations to cite. */
  readonly predictions = new Map<string, string>();

  constructor(seed: number, startMs: number) {
    this.random = new Random(seed);
    this.clock = startMs;
    this.shape = this.random.uuid();
  }

  draft(): Draft {
    if (this.random.chance(0.05)) this.shape = this.random.uuid();
    this.clock += this.random.int(200, 4000);
    let roll = this.random.next();
    for (const [share, make] of MIX) {
      roll -= share;
      if (roll < 0) return make(this);
    }
    return this.summarizerEvent();
  }

  common(service: string): Json {
    return {
      template_dvault_version: '1.0',
      id: this.random.uuid(),
      shape_id: this.shape,
      timestamp: this.clock,
      service,
    };
  }

  prediction(service: string, table: string, parts: Json): Draft {
    const id = SHAPE_KEYED_PREDICTIONS.has(service)
      ? `${this.shape}#${service}`
      : `${this.random.uuid()}#${service}`;
    this.predictions.set(`${this.shape}#${service}`, id);
    const body = { ...this.common(service), id };
    const model = this.random.pick(['distill-bart', 'muse', 't5-small']);
    Object.assign(
      body,
      { service_version: { software: '0.1.0', model } },
      parts,
    );
    return { table, service, body, kind: 'prediction' };
  }

  evaluation(
    service: string,
    table: string,
    reporter: string,
    type: string,
    payload?: Json,
    linked = true,
  ): Draft {
    const body: Json = this.common(service);
    body.prediction_id = linked ? this.predictionIdFor(service) : null;
    // Evaluations written before 2022 lack `service`: routing then reads
    // it from the prediction id.
    if (linked && this.random.chance(0.15)) delete body.service;
    Object.assign(body, { timestamp: this.clock, reporter, type });
    if (payload !== undefined) body.payload = payload;
    return { table, service, body, kind: 'evaluation' };
  }

  /**
   * The prediction an evaluation answers: the last one of this shape and
   * service, so predictions and evaluations join on `prediction_id` as
   * they do in the real files; one whose prediction is not among the
   * events made (it landed earlier) gets an id of the same form.
   */
  predictionIdFor(service: string): string {
    const key = `${this.shape}#${service}`;
    const known = this.predictions.get(key);
    if (known !== undefined) return known;
    return SHAPE_KEYED_PREDICTIONS.has(service)
      ? key
      : `${this.random.uuid()}#${service}`;
  }

  score(): number {
    // Some scores are tiny, which JSON writes with an exponent.
    return this.random.chance(0.05)
      ? this.random.next() * 1e-7
      : Math.round(this.random.next() * 1e6) / 1e6;
  }

  summarizerPrediction(): Draft {
    const paragraphs = Array.from({ length: this.random.int(2, 8) }, () =>
      Array.from({ length: this.random.int(1, 4) }, () =>
        sentence(this.random),
      ).join(' '),
    );
    const sentences = paragraphs.flatMap((p) => p.split('. '));
    const scores = sentences.map((s) => ({
      sentence: s,
      // An unscored sentence carries the integer -1.
      score: this.random.chance(0.1) ? -1 : this.score(),
    }));
    return this.prediction('summarizer', 'summarizer_pred', {
      context: {},
      input: {
        paragraphs,
        sentences_scores: scores,
        reduction_percentage: this.random.pick([0.3, 0.5]),
      },
      output: {
        summary: sentences.filter(() => this.random.chance(0.4)),
        metadata: paragraphs.map((p, idx) => ({
          filtered_sentences: p.split('. ').slice(0, 2),
          scores: [this.random.chance(0.3) ? 1 : this.score()],
          idx,
        })),
        skipped_paragraphs: this.random.chance(0.2)
          ? [
              {
                text: sentence(this.random),
                index: 0,
                language: 'de',
                text_language: 'de',
                original_paragraph: true,
              },
            ]
          : [],
      },
    });
  }

  headlinePrediction(): Draft {
    return this.prediction('headline', 'headliner_pred', {
      context: {},
      input: { transcript: `Transcription/${this.shape}` },
      output: {
        headline: Array.from(
          { length: this.random.int(1, 3) },
          () => ` ${sentence(this.random)}`,
        ),
      },
    });
  }

  stePrediction(): Draft {
    const count = this.random.int(2, 7);
    return this.prediction('ste', 'ste_pred', {
      context: {
        paragraph: this.random.int(0, 20),
        sentence: this.random.int(0, 6),
      },
      // Late sentences of long documents come with an empty input.
      input: this.random.chance(0.1)
        ? {}
        : { paragraph: sentence(this.random) },
      output: {
        sentence: sentence(this.random),
        search_terms: terms(this.random, count),
        scores: Array.from({ length: count }, () => this.random.next() - 0.05),
      },
    });
  }

  summarizerEvent(): Draft {
    const type = this.random.pick([
      'PUBLISH',
      'PUBLISH',
      'DELETE SLIDE',
      'DELETE',
    ]);
    if (type === 'DELETE')
      return this.evaluation('summarizer', 'summarizer_event', 'user', type);
    const payload: Json = {
      text: markedUp(this.random),
      paragraph: this.random.chance(0.2) ? null : this.random.int(0, 12),
      slide: this.random.pick(['a', 'b', 'cn', 'f', 'j']),
    };
    if (type === 'DELETE SLIDE' && this.random.chance(0.3)) delete payload.text;
    return this.evaluation(
      'summarizer',
      'summarizer_event',
      'user',
      type,
      payload,
    );
  }

  headlineEvent(): Draft {
    return this.evaluation('headline', 'headliner_event', 'user', 'PUBLISH', {
      text: sentence(this.random, 4, 9),
    });
  }

  stockImage(asInteger: boolean): Json {
    const id = this.random.int(10000, 99999);
    return {
      media_id: asInteger ? id : String(id),
      media_type: 'IMAGE',
      medialib: 'SHAPELIB',
    };
  }

  steEvent(): Draft {
    const search = this.random.chance(0.5);
    const media = this.random.chance(0.3)
      ? this.stockImage(search)
      : {
          media_id: this.random.uuid(),
          media_type: this.random.pick(['IMAGE', 'VIDEO']),
          medialib: 'MYLIB',
        };
    const found = !this.random.chance(0.08);
    const payload: Json = {
      text: markedUp(this.random),
      ...(search
        ? { search_terms: terms(this.random, this.random.int(1, 5)) }
        : { slide: 'd' }),
      query: found ? [` ${terms(this.random, 1)[0]}`] : null,
      ...(found ? media : { media_id: null, media_type: null, medialib: null }),
      tags: found ? tags(this.random, this.random.int(1, 12)) : null,
      caption: found ? sentence(this.random, 2, 4) : null,
    };
    // Older producers sent a list as a bare string, or the string "null".
    if (found && this.random.chance(0.05))
      payload.query = terms(this.random, 1)[0];
    if (!found && this.random.chance(0.3)) payload.tags = 'null';
    const draft = this.evaluation(
      'ste',
      'ste_event',
      search ? 'builder' : 'user',
      search ? 'SEARCH_IMAGE' : 'PUBLISH',
      payload,
      !this.random.chance(0.3),
    );
    return draft;
  }

  imageTaggingEvent(): Draft {
    const draft = this.evaluation(
      'imageTagging',
      'image_tagging_event',
      'aws_rekognition',
      'TAG_IMAGE',
      {
        media_id: this.random.uuid(),
        media_type: 'IMAGE',
        medialib: 'MYLIB',
        image_tags: tags(this.random, this.random.int(1, 8)),
        caption: null,
        source_file: `private/${REGION}:${this.random.uuid()}/upload-${this.random.int(1, 999)}.png`,
      },
      false,
    );
    return draft;
  }

  semanticImageMatcherEvent(): Draft {
    const draft = this.evaluation(
      'semanticImageMatcher',
      'semantic_image_matcher_event',
      'user',
      'SELECT_IMAGE',
      {
        ...(this.random.chance(0.2) ? {} : { text: markedUp(this.random) }),
        query: [''],
        media_id: this.random.uuid(),
        media_type: 'IMAGE',
        medialib: 'MYLIB',
        image_tags: this.random.chance(0.5) ? null : tags(this.random, 3),
        caption: `upload-${this.random.int(1, 99)}.jpg`,
        source_file: this.random.chance(0.5)
          ? null
          : `private/${REGION}:${this.random.uuid()}/doc.odt`,
      },
      false,
    );
    return draft;
  }

  unknownField(draft: Draft) {
    const target = (draft.body.payload ??
      draft.body.output ??
      draft.body) as Json;
    target.experiment_arm = this.random.pick(['a', 'b']);
  }
}

/** Ways of breaking an event on purpose, with the kind each should earn. */
const BREAKAGES: readonly [
  string,
  (event: Json, body: Json, g: EventFactory) => void,
][] = [
  [
    DirtyKind.Unroutable,
    (_e, body) => {
      delete body.service;
      body.prediction_id = null;
    },
  ],
  [
    DirtyKind.UnknownService,
    (_e, body) => {
      body.service = 'translator';
    },
  ],
  [
    DirtyKind.Invalid,
    (_e, body) => {
      delete body.shape_id;
    },
  ],
  [
    DirtyKind.Invalid,
    (e) => {
      (e.detail as Json).id = 'another-id';
    },
  ],
  [
    DirtyKind.Invalid,
    (_e, body) => {
      body.timestamp = Date.UTC(2019, 0, 1);
    },
  ],
  [
    DirtyKind.Invalid,
    (e) => {
      e.account = 'not-an-account';
    },
  ],
  [
    DirtyKind.Invalid,
    (_e, body, g) => {
      body.template_dvault_version = { major: g.random.int(1, 3) };
    },
  ],
];

function envelope(draft: Draft, g: EventFactory): Json {
  const time = new Date(
    Math.floor((draft.body.timestamp as number) / 1000) * 1000 +
      g.random.int(0, 3) * 1000,
  );
  const detailType =
    draft.kind === 'prediction' ? DetailType.Prediction : DetailType.Evaluation;
  return {
    version: '0',
    id: g.random.uuid(),
    'detail-type': detailType,
    source: DVAULT_SOURCE,
    account: ACCOUNT,
    time: time.toISOString().replace('.000Z', 'Z'),
    region: REGION,
    resources: [],
    detail: {
      id: draft.body.id,
      type: detailType,
      timestamp: draft.body.timestamp,
      partitionKey: draft.body.shape_id,
      [draft.kind]: draft.body,
      tags: { region: REGION },
    },
  };
}

// JSON.stringify writes `1e-7`; the real services write a capital `E`.
const SMALL_EXPONENT = /([:,[]-?\d+(?:\.\d+)?)e-(\d+)/g;

function count(record: Record<string, number>, key: string) {
  record[key] = (record[key] ?? 0) + 1;
}

/**
 * Generates realistic dvault files deterministically: every service and
 * kind, every quirk the contract names, and a chosen share of broken events.
 *
 * @example
 * const tally = { clean: {}, dirty: {} };
 * for (const file of generateDvaultFiles({ events: 1000, seed: 1 }, tally)) {
 *   writeFileSync(join(dir, file.name), file.text);
 * }
 */
export function* generateDvaultFiles(
  options: GenerateOptions,
  tally: GenerationTally = { clean: {}, dirty: {} },
): Generator<GeneratedFile> {
  const g = new EventFactory(
    options.seed ?? 1,
    options.startMs ?? DEFAULT_START_MS,
  );
  const perFile = options.eventsPerFile ?? 200;
  const dirtyShare = options.dirtyShare ?? 0;
  let produced = 0;
  while (produced < options.events) {
    const size = Math.min(perFile, options.events - produced);
    const parts: string[] = [];
    for (let i = 0; i < size; i++) {
      const draft = g.draft();
      if (g.random.chance(0.02)) g.unknownField(draft);
      const event = envelope(draft, g);
      if (g.random.chance(dirtyShare)) {
        const [kind, breakEvent] = g.random.pick(BREAKAGES);
        breakEvent(event, draft.body, g);
        count(tally.dirty, kind);
      } else {
        count(tally.clean, draft.table);
      }
      parts.push(JSON.stringify(event).replace(SMALL_EXPONENT, '$1E-$2'));
    }
    const stamp = new Date(g.clock)
      .toISOString()
      .slice(0, 19)
      .replace(/[T:]/g, '-');
    yield {
      name: `dvault-generated-stream-1-${stamp}-${g.random.uuid()}`,
      text: parts.join(''),
      events: size,
    };
    produced += size;
  }
}
