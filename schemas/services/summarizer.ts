import { bool, double, int, list, nullable, str, struct } from '../codecs.js';
import {
  defineEvaluation,
  definePrediction,
  defineService,
} from '../ServiceModule.js';

const SentenceScore = struct('SentenceScore', {
  sentence: nullable(str),
  // An unscored sentence carries the integer -1; the column is a double.
  score: nullable(double),
});

const SummaryMetadata = struct('SummaryMetadata', {
  filtered_sentences: nullable(list(str)),
  scores: nullable(list(double)),
  idx: nullable(int),
});

const SkippedParagraph = struct('SkippedParagraph', {
  text: nullable(str),
  index: nullable(int),
  language: nullable(str),
  text_language: nullable(str),
  original_paragraph: nullable(bool),
});

/**
 * The summarizer: predicts a summary of a document's paragraphs; users then
 * publish, edit or delete the slides made from it.
 */
export const summarizer = defineService({
  service: 'summarizer',
  prediction: definePrediction({
    table: 'summarizer_pred',
    context: {},
    input: {
      paragraphs: nullable(list(str)),
      sentences_scores: nullable(list(SentenceScore)),
      reduction_percentage: nullable(double),
    },
    output: {
      summary: nullable(list(str)),
      metadata: nullable(list(SummaryMetadata)),
      skipped_paragraphs: nullable(list(SkippedParagraph)),
    },
  }),
  evaluation: defineEvaluation({
    table: 'summarizer_event',
    types: ['PUBLISH', 'DELETE SLIDE', 'DELETE'],
    // Deleting the whole summary is a real action that carries no data.
    payloadOptionalFor: ['DELETE'],
    payload: {
      text: nullable(str),
      paragraph: nullable(int),
      slide: nullable(str),
    },
  }),
});
