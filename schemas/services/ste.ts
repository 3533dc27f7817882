import {
  double,
  int,
  lenientList,
  list,
  mediaId,
  nullable,
  str,
} from '../codecs.js';
import { dirtyReason } from '../DirtyReason.js';
import {
  defineEvaluation,
  definePrediction,
  defineService,
} from '../ServiceModule.js';

/**
 * Search-terms extraction ("ste"): proposes search terms for a sentence so
 * the builder can find a slide image; users then search, pick and publish.
 */
export const ste = defineService({
  service: 'ste',
  prediction: definePrediction({
    table: 'ste_pred',
    context: {
      paragraph: nullable(int),
      sentence: nullable(int),
    },
    input: {
      // `{}` in late sentences of long documents: the column is then null.
      paragraph: nullable(str),
    },
    output: {
      sentence: nullable(str),
      search_terms: nullable(list(str)),
      // Similarity scores; negative values are legitimate.
      scores: nullable(list(double)),
    },
    check({ output }) {
      const terms = output.search_terms?.length ?? 0;
      const scores = output.scores?.length ?? 0;
      if (terms === scores) return [];
      return [
        dirtyReason(
          'output.scores',
          `one score per term of output.search_terms (${terms})`,
          output.scores,
        ),
      ];
    },
  }),
  evaluation: defineEvaluation({
    table: 'ste_event',
    types: ['PUBLISH', 'SEARCH_IMAGE', 'ADD_TAG'],
    payload: {
      text: nullable(str),
      search_terms: lenientList(str),
      query: lenientList(str),
      media_id: mediaId,
      media_type: nullable(str),
      medialib: nullable(str),
      slide: nullable(str),
      tags: lenientList(str),
      caption: nullable(str),
    },
  }),
});
