import type { StructOf, StructProps } from './codecs.js';
import type { DirtyReason } from './DirtyReason.js';

/**
 * How a service's predictions look: the fields of `context`, `input` and
 * `output`. `input` and `output` fields become `input_<field>` and
 * `output_<field>` columns; `context` stays one struct column.
 */
export interface PredictionSchema<
  C extends StructProps = StructProps,
  I extends StructProps = StructProps,
  O extends StructProps = StructProps,
> {
  readonly table: string;
  readonly context: C;
  readonly input: I;
  readonly output: O;
  /** Checks across fields; paths are relative to the prediction body. */
  readonly check?: (body: {
    context: StructOf<C>;
    input: StructOf<I>;
    output: StructOf<O>;
  }) => DirtyReason[];
}

/**
 * How a service's evaluations look: the `type`s it reports and the fields
 * of its payload, which become top-level columns named after the field.
 */
export interface EvaluationSchema<
  P extends StructProps = StructProps,
  T extends string = string,
> {
  readonly table: string;
  readonly types: readonly T[];
  /** Types that are complete without a payload (summarizer `DELETE`). */
  readonly payloadOptionalFor?: readonly string[];
  readonly payload: P;
}

/**
 * One service of Shape and its tables. Adding a service to the pipeline is
 * adding one of these modules to `services/` and to the registry.
 */
export interface ServiceModule {
  /** The name events carry in `service` or after `#` in `prediction_id`. */
  readonly service: string;
  // biome-ignore lint/suspicious/noExplicitAny: each service has its own field types
  readonly prediction?: PredictionSchema<any, any, any>;
  readonly evaluation?: EvaluationSchema;
}

/** Declares a service module, keeping its field types for row types. */
export function defineService<M extends ServiceModule>(module: M): M {
  return module;
}

/** Declares a prediction schema, so `check` sees the decoded field types. */
export function definePrediction<
  C extends StructProps,
  I extends StructProps,
  O extends StructProps,
>(schema: PredictionSchema<C, I, O>): PredictionSchema<C, I, O> {
  return schema;
}

/** Declares an evaluation schema. */
export function defineEvaluation<P extends StructProps, const T extends string>(
  schema: EvaluationSchema<P, T>,
): EvaluationSchema<P, T> {
  return schema;
}
