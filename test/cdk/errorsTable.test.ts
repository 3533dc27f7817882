import { describe, expect, it } from 'vitest';
import { TABLES } from '../../schemas/index.js';
import {
  decodedView,
  logicalIdOf,
  resourcesOfType,
  synthStack,
  textOf,
  viewOf,
} from './synthStack.js';

interface GlueTableInput {
  Name: string;
  Parameters: Record<string, unknown>;
  PartitionKeys: { Name: string; Type: string }[];
  StorageDescriptor: {
    Columns: { Name: string; Type: string }[];
    SerdeInfo: {
      SerializationLibrary: string;
      Parameters?: Record<string, string>;
    };
  };
}

function errorsAll(template: ReturnType<typeof synthStack>['template']) {
  const input = Object.values(resourcesOfType(template, 'AWS::Glue::Table'))
    .map((resource) => resource.Properties.TableInput as GlueTableInput)
    .find((table) => table.Name === 'errors_all');
  expect(input, 'errors_all').toBeDefined();
  return input as GlueTableInput;
}

describe('DvaultStack errors table and view', () => {
  it('reads what Firehose keeps under errors/ as JSON, partitioned as its error prefix lays it out', () => {
    const { stack, template } = synthStack();
    const lake = logicalIdOf(stack, stack.buckets.lake);

    const input = errorsAll(template);

    expect(input.PartitionKeys).toEqual([
      { Name: 'errors_table', Type: 'string' },
      { Name: 'error_type', Type: 'string' },
      { Name: 'dt', Type: 'string' },
    ]);
    expect(input.Parameters).toMatchObject({
      'projection.enabled': 'true',
      'projection.errors_table.type': 'enum',
      'projection.errors_table.values': TABLES.map((t) => t.name).join(','),
      'projection.error_type.type': 'enum',
      'projection.error_type.values':
        'processing-failed,format-conversion-failed',
      'projection.dt.type': 'date',
      'projection.dt.range': '2020-01-01,NOW',
    });
    expect(textOf(input.Parameters['storage.location.template'])).toBe(
      `s3://<${lake}>/errors/\${errors_table}/\${error_type}/dt=\${dt}/`,
    );
    expect(input.StorageDescriptor.SerdeInfo).toEqual({
      SerializationLibrary: 'org.openx.data.jsonserde.JsonSerDe',
      Parameters: { 'case.insensitive': 'true' },
    });
    expect(input.StorageDescriptor.Columns.map((c) => c.Name)).toEqual([
      'attemptsmade',
      'arrivaltimestamp',
      'errorcode',
      'errormessage',
      'attemptendingtimestamp',
      'rawdata',
      'lambdaarn',
      'sequencenumber',
      'subsequencenumber',
    ]);
  });

  it('matches the error prefix every delivery stream writes to', () => {
    const { template } = synthStack();

    const prefixes = Object.values(
      resourcesOfType(template, 'AWS::KinesisFirehose::DeliveryStream'),
    ).map(
      (resource) =>
        (
          resource.Properties.ExtendedS3DestinationConfiguration as {
            ErrorOutputPrefix: string;
          }
        ).ErrorOutputPrefix,
    );

    expect(prefixes.sort()).toEqual(
      TABLES.map(
        (t) =>
          `errors/${t.name}/!{firehose:error-output-type}/dt=!{timestamp:yyyy-MM-dd}/`,
      ).sort(),
    );
  });

  it('defines the view errors with the local view columns, times as timestamps', () => {
    const { stack, template } = synthStack();

    const view = viewOf(template, 'errors');
    const definition = decodedView(view);

    expect(definition.columns).toEqual([
      { name: 'table', type: 'varchar' },
      { name: 'error_type', type: 'varchar' },
      { name: 'error_code', type: 'varchar' },
      { name: 'error_message', type: 'varchar' },
      { name: 'arrived_at', type: 'timestamp(3)' },
      { name: 'attempts_made', type: 'integer' },
      { name: 'raw_data', type: 'varchar' },
      { name: 'filename', type: 'varchar' },
    ]);
    expect(definition.originalSql).toBe(
      `SELECT "errors_table" AS "table", "error_type" AS "error_type", "errorcode" AS "error_code", "errormessage" AS "error_message", date_add('millisecond', "arrivaltimestamp", TIMESTAMP '1970-01-01 00:00:00.000') AS "arrived_at", "attemptsmade" AS "attempts_made", "rawdata" AS "raw_data", "$path" AS "filename" FROM "dvault"."errors_all"`,
    );
    const resource = resourcesOfType(template, 'AWS::Glue::Table')[
      logicalIdOf(stack, stack.catalog.errorsView)
    ] as unknown as { DependsOn: string[] };
    expect(resource.DependsOn).toContain(
      logicalIdOf(stack, stack.catalog.errorsTable),
    );
  });
});
