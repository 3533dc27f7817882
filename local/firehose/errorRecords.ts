import {
  GLUE_DATABASE,
  glueTableOf,
  LOCAL_ACCOUNT,
  LOCAL_REGION,
} from '../constants.js';
import type { DeliveryRecord } from './DeliveryRecord.js';

/** The transformer as the error records name it. */
export const LOCAL_TRANSFORMER_ARN = `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:dvault-transformer`;

/** One line of a `processing-failed/` object, in Firehose's layout. */
export interface ProcessingFailedLine {
  attemptsMade: number;
  arrivalTimestamp: number;
  errorCode: string;
  errorMessage: string;
  attemptEndingTimestamp: number;
  /** The record as read from Kinesis, base64. */
  rawData: string;
  lambdaArn: string;
}

/** One line of a `format-conversion-failed/` object, in Firehose's layout. */
export interface FormatConversionFailedLine {
  attemptsMade: number;
  arrivalTimestamp: number;
  ErrorCode: string;
  ErrorMessage: string;
  attemptEndingTimestamp: number;
  /** The record as the transformer returned it, base64. */
  rawData: string;
  sequenceNumber: string;
  subSequenceNumber: number;
  dataCatalogTable: {
    catalogId: string;
    databaseName: string;
    tableName: string;
    region: string;
    versionId: string;
    catalogArn: string;
  };
}

/** What one failure says, and when the attempts on it ended. */
export interface FailureFacts {
  errorCode: string;
  errorMessage: string;
  attemptsMade: number;
  endedMs: number;
}

/**
 * The error records Firehose writes for records it could not deliver,
 * with the field names its documentation gives (note the capitalised
 * `ErrorCode` of conversion failures). They carry the data base64, so a
 * record can be decoded and replayed.
 */
export const errorRecords = {
  /** A record that failed transformation: a contract breach or its status. */
  processingFailed(
    record: DeliveryRecord,
    facts: FailureFacts,
  ): ProcessingFailedLine {
    return {
      attemptsMade: facts.attemptsMade,
      arrivalTimestamp: record.arrivalMs,
      errorCode: facts.errorCode,
      errorMessage: facts.errorMessage,
      attemptEndingTimestamp: facts.endedMs,
      rawData: base64(record.data),
      lambdaArn: LOCAL_TRANSFORMER_ARN,
    };
  },

  /** A transformed record that does not fit the table's columns. */
  formatConversionFailed(
    record: DeliveryRecord,
    transformed: Uint8Array,
    table: string,
    facts: FailureFacts,
  ): FormatConversionFailedLine {
    return {
      attemptsMade: facts.attemptsMade,
      arrivalTimestamp: record.arrivalMs,
      ErrorCode: facts.errorCode,
      ErrorMessage: facts.errorMessage,
      attemptEndingTimestamp: facts.endedMs,
      rawData: base64(transformed),
      sequenceNumber: record.sequenceNumber,
      subSequenceNumber: record.subsequenceNumber,
      dataCatalogTable: {
        catalogId: LOCAL_ACCOUNT,
        databaseName: GLUE_DATABASE,
        tableName: glueTableOf(table),
        region: LOCAL_REGION,
        versionId: 'LATEST',
        catalogArn: `arn:aws:glue:${LOCAL_REGION}:${LOCAL_ACCOUNT}:catalog`,
      },
    };
  },
};

function base64(data: Uint8Array): string {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString(
    'base64',
  );
}
