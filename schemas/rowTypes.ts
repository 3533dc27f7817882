import type { Decoded, StructOf, StructProps } from './codecs.js';
import type { EvaluationSchema, PredictionSchema } from './ServiceModule.js';
import type { headline } from './services/headline.js';
import type { imageTagging } from './services/imageTagging.js';
import type { semanticImageMatcher } from './services/semanticImageMatcher.js';
import type { ste } from './services/ste.js';
import type { summarizer } from './services/summarizer.js';
import type { ProvenanceColumns } from './TableSpec.js';

/** Columns every row has; timestamps are epoch milliseconds. */
export interface CommonRow extends ProvenanceColumns {
  event_id: string;
  event_time: number;
  version: string;
  account: string;
  region: string;
  resources: string[];
  shape_id: string;
  partition_key: string | null;
  service: string;
  template_dvault_version: string | null;
  detail_tags: { region: string | null } | null;
  extra: string | null;
}

type Prefixed<P extends StructProps, Prefix extends string> = {
  [K in keyof P & string as `${Prefix}_${K}`]: Decoded<P[K]>;
};

type ContextColumn<C extends StructProps> = keyof C extends never
  ? unknown
  : { context: StructOf<C> };

/** The row of a prediction table, derived from its schema's codecs. */
// biome-ignore lint/suspicious/noExplicitAny: any service's field types fit
export type PredictionRow<S extends PredictionSchema<any, any, any>> =
  CommonRow & {
    prediction_id: string;
    predicted_at: number;
    service_version: { software: string | null; model: string | null };
  } & ContextColumn<S['context']> &
    Prefixed<S['input'], 'input'> &
    Prefixed<S['output'], 'output'>;

/** The row of an evaluation table, derived from its schema's codecs. */
export type EvaluationRow<S extends EvaluationSchema> = CommonRow & {
  evaluation_id: string;
  prediction_id: string | null;
  evaluated_at: number;
  reporter: string;
  type: S['types'][number];
} & StructOf<S['payload']>;

/** A row of `summarizer_pred`. */
export type SummarizerPredRow = PredictionRow<typeof summarizer.prediction>;
/** A row of `summarizer_event`. */
export type SummarizerEventRow = EvaluationRow<typeof summarizer.evaluation>;
/** A row of `headliner_pred`. */
export type HeadlinerPredRow = PredictionRow<typeof headline.prediction>;
/** A row of `headliner_event`. */
export type HeadlinerEventRow = EvaluationRow<typeof headline.evaluation>;
/** A row of `ste_pred`. */
export type StePredRow = PredictionRow<typeof ste.prediction>;
/** A row of `ste_event`. */
export type SteEventRow = EvaluationRow<typeof ste.evaluation>;
/** A row of `image_tagging_event`. */
export type ImageTaggingEventRow = EvaluationRow<
  typeof imageTagging.evaluation
>;
/** A row of `semantic_image_matcher_event`. */
export type SemanticImageMatcherEventRow = EvaluationRow<
  typeof semanticImageMatcher.evaluation
>;
