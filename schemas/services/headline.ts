import { list, nullable, str } from '../codecs.js';
import {
  defineEvaluation,
  definePrediction,
  defineService,
} from '../ServiceModule.js';

/**
 * The headline generator: proposes up to three headlines for a transcript;
 * users publish one of them, or their own.
 */
export const headline = defineService({
  service: 'headline',
  prediction: definePrediction({
    table: 'headliner_pred',
    context: {},
    input: {
      // A reference such as `Transcription/<shape_id>`, not the text.
      transcript: nullable(str),
    },
    output: {
      headline: nullable(list(str)),
    },
  }),
  evaluation: defineEvaluation({
    table: 'headliner_event',
    types: ['PUBLISH'],
    payload: {
      text: nullable(str),
    },
  }),
});
