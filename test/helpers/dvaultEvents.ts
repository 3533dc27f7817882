/**
 * Factories of realistic dvault events, one per table, written for these
 * tests (not copied from the samples). Each call returns a fresh object the
 * test may change freely.
 */
type Json = Record<string, any>;

const SHAPE = '5f0c2a9e-0d4b-4c37-9a51-2b8f3e6d7c10';
const ACCOUNT = '123456789012';

function envelope(detailType: string, bodyKey: string, body: Json): Json {
  return {
    version: '0',
    id: 'b7e3f6a0-41c2-9d85-3e27-6a0f9c1d2e34',
    'detail-type': detailType,
    source: 'SHAPE.DVault',
    account: ACCOUNT,
    time: '2022-04-27T15:07:13Z',
    region: 'eu-west-1',
    resources: [],
    detail: {
      id: body.id,
      type: detailType,
      timestamp: body.timestamp,
      partitionKey: SHAPE,
      [bodyKey]: body,
      tags: { region: 'eu-west-1' },
    },
  };
}

function evaluation(
  service: string | undefined,
  type: string,
  reporter: string,
  payload?: Json,
  predictionId: string | null = `${SHAPE}#${service}`,
): Json {
  const body: Json = {
    template_dvault_version: '1.0',
    id: '0e9d8c7b-6a5f-4e3d-2c1b-0a9f8e7d6c5b',
    shape_id: SHAPE,
    prediction_id: predictionId,
    ...(service === undefined ? {} : { service }),
    timestamp: 1651072028395,
    reporter,
    type,
  };
  if (payload !== undefined) body.payload = payload;
  return envelope('DVaultEvaluationEvent', 'evaluation', body);
}

function prediction(
  service: string,
  context: Json,
  input: Json,
  output: Json,
): Json {
  return envelope('DVaultPredictionEvent', 'prediction', {
    template_dvault_version: '1.0',
    id: `4d3c2b1a-0f9e-4d8c-b7a6-9f8e7d6c5b4a#${service}`,
    shape_id: SHAPE,
    timestamp: 1651071708000,
    service,
    service_version: { software: '0.1.0', model: 'distill-bart' },
    context,
    input,
    output,
  });
}

/** One realistic event per table, by table name. */
export const EVENTS = {
  summarizer_pred: () =>
    prediction(
      'summarizer',
      {},
      {
        paragraphs: ['Board members ask about risk.', 'Plan for incidents.'],
        sentences_scores: [
          { sentence: 'Board members ask about risk.', score: 0.4211 },
          { sentence: 'Plan for incidents.', score: -1 },
        ],
        reduction_percentage: 0.3,
      },
      {
        summary: ['Board members ask about risk.'],
        metadata: [
          {
            filtered_sentences: ['Board members ask about risk.'],
            scores: [1, 0.25],
            idx: 0,
          },
        ],
        skipped_paragraphs: [
          {
            text: 'Bonjour à tous.',
            index: 2,
            language: 'fr',
            text_language: 'fr',
            original_paragraph: true,
          },
        ],
      },
    ),
  summarizer_event: () =>
    evaluation('summarizer', 'PUBLISH', 'user', {
      text: 'Plan for <strong>incidents</strong>.',
      paragraph: 1,
      slide: 'f',
    }),
  headliner_pred: () =>
    prediction(
      'headline',
      {},
      { transcript: `Transcription/${SHAPE}` },
      {
        headline: [
          ' Four questions your board will ask',
          ' Cyber risk in brief',
        ],
      },
    ),
  headliner_event: () =>
    evaluation('headline', 'PUBLISH', 'user', {
      text: 'Four questions your board will ask',
    }),
  ste_pred: () =>
    prediction(
      'ste',
      { paragraph: 3, sentence: 1 },
      { paragraph: 'Board members today worry about cyber risk.' },
      {
        sentence: 'Board members worry.',
        search_terms: ['board members', 'risk'],
        scores: [0.336, -0.0015],
      },
    ),
  ste_event: () =>
    evaluation('ste', 'SEARCH_IMAGE', 'builder', {
      text: 'Your <strong>job</strong> is to manage risk.',
      search_terms: ['cybersecurity risk', 'job'],
      query: [' cybersecurity risk'],
      media_id: 67726,
      media_type: 'IMAGE',
      medialib: 'SHAPELIB',
      tags: ['computer', 'network'],
      caption: 'Secure Connection',
    }),
  image_tagging_event: () =>
    evaluation(
      'imageTagging',
      'TAG_IMAGE',
      'aws_rekognition',
      {
        media_id: '3668b0ac-db54-4dce-a653-79bb7e82c78f',
        media_type: 'IMAGE',
        medialib: 'MYLIB',
        image_tags: ['Outer Space', 'Night'],
        caption: null,
        source_file:
          'private/eu-west-1:00000000-0000-4000-8000-000000000001/photo.png',
      },
      null,
    ),
  semantic_image_matcher_event: () =>
    evaluation(
      'semanticImageMatcher',
      'SELECT_IMAGE',
      'user',
      {
        text: 'Help the team expand.',
        query: [''],
        media_id: '3668b0ac-db54-4dce-a653-79bb7e82c78f',
        media_type: 'IMAGE',
        medialib: 'MYLIB',
        image_tags: null,
        caption: 'nebula.jpg',
        source_file: null,
      },
      null,
    ),
} as const;

/** An evaluation event of the given service, type and payload. */
export { evaluation as evaluationEvent };

/** The body (prediction or evaluation) inside an event. */
export function bodyOf(event: Json): Json {
  const detail = event.detail as Json;
  return (detail.prediction ?? detail.evaluation) as Json;
}
