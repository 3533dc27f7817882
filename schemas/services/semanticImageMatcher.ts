import { lenientList, mediaId, nullable, str } from '../codecs.js';
import { defineEvaluation, defineService } from '../ServiceModule.js';

/**
 * Semantic image matching: suggests images for a slide's text; users
 * select one. Only evaluations are recorded.
 */
export const semanticImageMatcher = defineService({
  service: 'semanticImageMatcher',
  evaluation: defineEvaluation({
    table: 'semantic_image_matcher_event',
    types: ['SELECT_IMAGE'],
    payload: {
      text: nullable(str),
      query: lenientList(str),
      media_id: mediaId,
      media_type: nullable(str),
      medialib: nullable(str),
      image_tags: lenientList(str),
      // Often the name of the file the user uploaded.
      caption: nullable(str),
      source_file: nullable(str),
    },
  }),
});
