/**
 * The dvault contract in code: codecs for every service and kind, the table
 * registry, and the derivations (Glue columns, DuckDB types, rows) that
 * every other part of the pipeline imports from here.
 *
 * @example
 * import { decodeEvent, glueColumns, TABLES } from '../schemas/index.js';
 */
export type { Column, ColumnType } from './ColumnType.js';
export { duckDbType, hiveType, ScalarKind } from './ColumnType.js';
export type { ColumnSnapshot } from './columnSnapshot.js';
export { breakingChanges, columnSnapshot } from './columnSnapshot.js';
export * from './constants.js';
export type { DirtyReason } from './DirtyReason.js';
export { describeValue, dirtyReason } from './DirtyReason.js';
export type { DirtyRecord, KinesisMetadata } from './DirtyRecord.js';
export type { DirtyVerdict } from './DirtyVerdict.js';
export type { CleanEvent, DecodeOptions } from './decodeEvent.js';
export { decodeEvent, MAX_REASONS } from './decodeEvent.js';
export * from './errors.js';
export { eventIdOf, shapeIdOf } from './eventIdOf.js';
export { isRecord } from './isRecord.js';
export {
  DEFAULT_RESOURCE_PREFIX,
  resourceNameFor,
  tableFromResourceName,
} from './naming.js';
export { Provenance } from './Provenance.js';
export { DirectoryObjectStore } from './ports/DirectoryObjectStore.js';
export type { Log } from './ports/Log.js';
export { SILENT_LOG } from './ports/Log.js';
export type { ObjectStore, OpenedObject } from './ports/ObjectStore.js';
export { S3ObjectStore } from './ports/S3ObjectStore.js';
export {
  buildRegistry,
  glueColumns,
  isKnownService,
  SERVICES,
  TABLES,
  tableFor,
  tableNamed,
} from './registry.js';
export { routeEvent, serviceOf } from './routeEvent.js';
export type * from './rowTypes.js';
export type { ServiceModule } from './ServiceModule.js';
export {
  encodeStreamRecord,
  eventTextOf,
  StreamRecord,
} from './StreamRecord.js';
export type { ProvenanceColumns, Row, TableSpec } from './TableSpec.js';
