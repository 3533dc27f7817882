import type { CfnTable } from 'aws-cdk-lib/aws-glue';
import { type Column, hiveType } from '../../schemas/index.js';
import { prestoType } from './prestoType.js';

/** What an Athena view is made of. */
export interface AthenaView {
  readonly name: string;
  readonly description: string;
  readonly databaseName: string;
  /** The view's query, in Athena (Trino) SQL. */
  readonly sql: string;
  /** The columns the query answers with, in order. */
  readonly columns: readonly Column[];
}

/** The catalog Athena calls the Glue Data Catalog in a view definition. */
const ATHENA_CATALOG = 'awsdatacatalog';

/**
 * A Glue table that Athena reads as a view, the way Athena stores one made
 * with `CREATE VIEW`: type `VIRTUAL_VIEW`, the `presto_view` parameter,
 * and the definition as base64 JSON (query, catalog, schema, and columns
 * in Trino types) between `/* Presto View: ` and ` *\/`. The columns are
 * also kept as Hive types, so Glue and its consoles can list them. Athena
 * calls a view stale, and refuses it, when its query no longer answers
 * with these columns, so both come from the same registry.
 *
 * @param view the view's name, query and columns
 */
export function athenaViewInput(view: AthenaView): CfnTable.TableInputProperty {
  return {
    name: view.name,
    description: view.description,
    tableType: 'VIRTUAL_VIEW',
    parameters: { presto_view: 'true', comment: 'Presto View' },
    viewOriginalText: `/* Presto View: ${Buffer.from(JSON.stringify(prestoView(view))).toString('base64')} */`,
    viewExpandedText: '/* Presto View */',
    storageDescriptor: {
      columns: view.columns.map(({ name, type }) => ({
        name,
        type: hiveType(type),
      })),
      serdeInfo: {},
    },
  };
}

/** The definition Athena decodes from `viewOriginalText`. */
export interface PrestoView {
  originalSql: string;
  catalog: string;
  schema: string;
  columns: { name: string; type: string }[];
}

function prestoView(view: AthenaView): PrestoView {
  return {
    originalSql: view.sql,
    catalog: ATHENA_CATALOG,
    schema: view.databaseName,
    columns: view.columns.map(({ name, type }) => ({
      name,
      type: prestoType(type),
    })),
  };
}
