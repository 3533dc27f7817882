import { mediaId, nonEmptyList, nullable, str } from '../codecs.js';
import { defineEvaluation, defineService } from '../ServiceModule.js';

/**
 * Image tagging: labels a user's uploaded image (AWS Rekognition). Only
 * evaluations are recorded; the labels are the outcome.
 */
export const imageTagging = defineService({
  service: 'imageTagging',
  evaluation: defineEvaluation({
    table: 'image_tagging_event',
    types: ['TAG_IMAGE'],
    payload: {
      media_id: mediaId,
      media_type: nullable(str),
      medialib: nullable(str),
      // The outcome of tagging: at least one label. Labels may contain
      // spaces ("Outer Space").
      image_tags: nonEmptyList(str),
      caption: nullable(str),
      // A path in the user's private upload area.
      source_file: nullable(str),
    },
  }),
});
