import { buildTables } from './buildTable.js';
import type { Column } from './ColumnType.js';
import { hiveType } from './ColumnType.js';
import type { EventKind } from './constants.js';
import { SchemaDefinitionError } from './errors.js';
import type { ServiceModule } from './ServiceModule.js';
import { headline } from './services/headline.js';
import { imageTagging } from './services/imageTagging.js';
import { semanticImageMatcher } from './services/semanticImageMatcher.js';
import { ste } from './services/ste.js';
import { summarizer } from './services/summarizer.js';
import type { TableSpec } from './TableSpec.js';

/** Every service the pipeline knows. Add a module here to add a service. */
export const SERVICES: readonly ServiceModule[] = [
  summarizer,
  headline,
  ste,
  imageTagging,
  semanticImageMatcher,
];

const LOWER_SNAKE = /^[a-z][a-z0-9_]*$/;

function assertLowerSnake(table: string, columns: readonly Column[]) {
  for (const column of columns) {
    if (!LOWER_SNAKE.test(column.name)) {
      throw new SchemaDefinitionError(
        `Column ${column.name} of table ${table} is not lower_snake_case, which Glue and Parquet conversion need.`,
      );
    }
    if (column.type.kind === 'struct')
      assertLowerSnake(table, column.type.fields);
  }
}

function assertDistinct(table: string, names: string[]) {
  const repeated = names.find((name, i) => names.indexOf(name) !== i);
  if (repeated !== undefined) {
    throw new SchemaDefinitionError(
      `Table ${table} has two columns named ${repeated}; rename one field.`,
    );
  }
}

/** Builds the tables of a list of service modules, checking their names. */
export function buildRegistry(services: readonly ServiceModule[]): TableSpec[] {
  const tables = services.flatMap(buildTables);
  const names = new Set<string>();
  for (const table of tables) {
    if (names.has(table.name)) {
      throw new SchemaDefinitionError(`Table ${table.name} is defined twice.`);
    }
    names.add(table.name);
    assertLowerSnake(table.name, table.columns);
    assertDistinct(
      table.name,
      table.columns.map((column) => column.name),
    );
  }
  return tables;
}

/** The lake's tables, one per service and kind. */
export const TABLES: readonly TableSpec[] = buildRegistry(SERVICES);

const BY_NAME = new Map(TABLES.map((table) => [table.name, table]));
const BY_KIND = new Map<string, Map<string, TableSpec>>();
for (const table of TABLES) {
  const tables = BY_KIND.get(table.kind) ?? new Map<string, TableSpec>();
  BY_KIND.set(table.kind, tables.set(table.service, table));
}

/** The table of that name, or undefined. */
export function tableNamed(name: string): TableSpec | undefined {
  return BY_NAME.get(name);
}

/** The table holding a service's events of one kind, or undefined. */
export function tableFor(
  service: string,
  kind: EventKind,
): TableSpec | undefined {
  return BY_KIND.get(kind)?.get(service);
}

/** The services the registry knows, by name. */
export function isKnownService(service: string): boolean {
  return SERVICES.some((module) => module.service === service);
}

/**
 * A table's Glue columns: lower_snake_case names and Hive type strings,
 * in row order. The partition column `dt` is not among them.
 *
 * @example
 * glueColumns(tableNamed('ste_pred')!).find((c) => c.name === 'output_scores');
 * // { name: 'output_scores', type: 'array<double>' }
 */
export function glueColumns(
  table: TableSpec,
): { name: string; type: string }[] {
  return table.columns.map((column) => ({
    name: column.name,
    type: hiveType(column.type),
  }));
}
