import type { CfnTable } from 'aws-cdk-lib/aws-glue';
import { type Column, hiveType } from '../../schemas/index.js';
import { DATE_PARTITION, HiveClass } from '../constants.js';
import { dateProjection } from './dateProjection.js';

/** A partition projected from a closed list of values. */
export interface EnumPartition {
  readonly name: string;
  readonly values: readonly string[];
}

/** What a Glue table over JSON lines under a lake prefix is made of. */
export interface JsonTable {
  readonly name: string;
  readonly description: string;
  /** `s3://<bucket>/<prefix>`, ending in `/`. */
  readonly location: string;
  readonly columns: readonly Column[];
  /** The folders below the location, in order; `dt=<day>` comes last. */
  readonly partitions: readonly EnumPartition[];
  /** OpenX SerDe properties, if any. */
  readonly serdeParameters?: Readonly<Record<string, string>>;
}

/**
 * A Glue table over JSON lines read with the OpenX SerDe, every partition
 * projected (the enum partitions, then `dt` by day), so Athena sees a new
 * folder's objects without a crawler: the layout of `dirty/` and
 * `errors/`.
 *
 * @param table its name, place, columns and partitions
 */
export function jsonTableInput(table: JsonTable): CfnTable.TableInputProperty {
  const folders = table.partitions.map(({ name }) => `\${${name}}/`).join('');
  return {
    name: table.name,
    description: table.description,
    tableType: 'EXTERNAL_TABLE',
    parameters: {
      classification: 'json',
      EXTERNAL: 'TRUE',
      'projection.enabled': 'true',
      ...Object.fromEntries(table.partitions.flatMap(enumProjection)),
      ...dateProjection(),
      'storage.location.template': `${table.location}${folders}${DATE_PARTITION}=\${${DATE_PARTITION}}/`,
    },
    partitionKeys: [
      ...table.partitions.map(({ name }) => name),
      DATE_PARTITION,
    ].map((name) => ({ name, type: 'string' })),
    storageDescriptor: {
      columns: table.columns.map(({ name, type }) => ({
        name,
        type: hiveType(type),
      })),
      location: table.location,
      inputFormat: HiveClass.TextInputFormat,
      outputFormat: HiveClass.TextOutputFormat,
      serdeInfo: {
        serializationLibrary: HiveClass.OpenXJsonSerDe,
        ...(table.serdeParameters && {
          parameters: { ...table.serdeParameters },
        }),
      },
    },
  };
}

function enumProjection({ name, values }: EnumPartition): [string, string][] {
  return [
    [`projection.${name}.type`, 'enum'],
    [`projection.${name}.values`, values.join(',')],
  ];
}
