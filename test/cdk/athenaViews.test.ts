import { describe, expect, it } from 'vitest';
import { DIRTY_COLUMNS } from '../../cdk/glue/dirtyTableInput.js';
import { prestoType } from '../../cdk/glue/prestoType.js';
import {
  type ColumnType,
  glueColumns,
  hiveType,
  TABLES,
  type TableSpec,
} from '../../schemas/index.js';
import {
  decodedView,
  logicalIdOf,
  nagFindings,
  pipelineOf,
  resourcesOfType,
  synthStack,
  viewOf,
} from './synthStack.js';

/** A small table no service emits, to read one view's SQL whole. */
const QUIZ_TABLE: TableSpec = {
  ...TABLES[0],
  name: 'quizmaker_pred',
  service: 'quizmaker',
  columns: [
    { name: 'id', type: { kind: 'string' } },
    { name: 'questions', type: { kind: 'array', element: { kind: 'string' } } },
  ],
};

describe('DvaultStack Athena views', () => {
  it('makes each registry table an Athena view with the table columns and dt as a date', () => {
    const { template } = synthStack();

    for (const table of TABLES) {
      const view = viewOf(template, table.name);

      expect(view).toMatchObject({
        TableType: 'VIRTUAL_VIEW',
        Parameters: { presto_view: 'true', comment: 'Presto View' },
        ViewExpandedText: '/* Presto View */',
        StorageDescriptor: { SerdeInfo: {} },
      });
      expect(view.StorageDescriptor.Columns).toEqual([
        ...glueColumns(table).map(({ name, type }) => ({
          Name: name,
          Type: type,
        })),
        { Name: 'dt', Type: 'date' },
      ]);
    }
  });

  it('defines a view as the first copy of each event_id of <table>_all, in the database', () => {
    const { template } = synthStack({ tables: [QUIZ_TABLE] });

    const definition = decodedView(viewOf(template, 'quizmaker_pred'));

    expect(definition).toEqual({
      originalSql:
        'SELECT "id", "questions", CAST("dt" AS date) AS "dt" FROM (SELECT *, row_number() OVER (PARTITION BY "event_id" ORDER BY "ingested_at", "source_key", "source_index") AS "dvault_copy" FROM "dvault"."quizmaker_pred_all") WHERE "dvault_copy" = 1',
      catalog: 'awsdatacatalog',
      schema: 'dvault',
      columns: [
        { name: 'id', type: 'varchar' },
        { name: 'questions', type: 'array(varchar)' },
        { name: 'dt', type: 'date' },
      ],
    });
  });

  it('gives every view the columns of its table in Trino types, read from its own _all table', () => {
    const { template } = synthStack();

    for (const table of TABLES) {
      const definition = decodedView(viewOf(template, table.name));

      expect(definition.columns).toEqual([
        ...table.columns.map(({ name, type }) => ({
          name,
          type: prestoType(type),
        })),
        { name: 'dt', type: 'date' },
      ]);
      expect(definition.originalSql).toContain(
        `FROM "dvault"."${table.name}_all")`,
      );
    }
    expect(
      decodedView(viewOf(template, 'summarizer_pred')).columns,
    ).toContainEqual({ name: 'predicted_at', type: 'timestamp(3)' });
  });

  it('names the database of the prefix in the view and its query', () => {
    const { template } = synthStack({ prefix: 'acme-' });

    const definition = decodedView(viewOf(template, 'ste_event'));

    expect(definition.schema).toBe('acme');
    expect(definition.originalSql).toContain('FROM "acme"."ste_event_all")');
  });

  it('creates each view after the table it reads', () => {
    const { stack, template } = synthStack();
    const pipeline = pipelineOf(stack, 'ste_pred');

    const view = resourcesOfType(template, 'AWS::Glue::Table')[
      logicalIdOf(stack, pipeline.view)
    ] as unknown as { DependsOn: string[] };

    expect(view.DependsOn).toContain(logicalIdOf(stack, pipeline.glueTable));
  });

  it('defines dirty as the first copy of each record of dirty_all per table, kind and event, times as timestamps and dt as a date', () => {
    const { stack, template } = synthStack();

    const view = viewOf(template, 'dirty');
    const definition = decodedView(view);

    const millis = new Set(['ingested_at', 'processed_at']);
    const viewType = (name: string, type: ColumnType): ColumnType =>
      millis.has(name) ? { kind: 'timestamp' } : type;
    const columns = [
      ...Object.entries(DIRTY_COLUMNS).map(([name, type]) => ({
        name,
        type: prestoType(viewType(name, type)),
      })),
      { name: 'dirty_table', type: 'varchar' },
      { name: 'dt', type: 'date' },
    ];
    expect(definition.columns).toEqual(columns);
    expect(columns).toContainEqual({
      name: 'ingested_at',
      type: 'timestamp(3)',
    });
    expect(view.StorageDescriptor.Columns).toEqual([
      ...Object.entries(DIRTY_COLUMNS).map(([name, type]) => ({
        Name: name,
        Type: hiveType(viewType(name, type)),
      })),
      { Name: 'dirty_table', Type: 'string' },
      { Name: 'dt', Type: 'date' },
    ]);
    const selected = columns.map(({ name }) =>
      name === 'dt'
        ? 'CAST("dt" AS date) AS "dt"'
        : millis.has(name)
          ? `date_add('millisecond', "${name}", TIMESTAMP '1970-01-01 00:00:00.000') AS "${name}"`
          : `"${name}"`,
    );
    expect(definition.originalSql).toBe(
      `SELECT ${selected.join(', ')} FROM (SELECT *, row_number() OVER (PARTITION BY "table", "kind", CASE
  WHEN "event_id" IS NOT NULL THEN 'event:' || "event_id"
  WHEN "source" IS NOT NULL THEN 'source:' || concat_ws('/', coalesce("source"."bucket", ''), coalesce("source"."key", ''), coalesce("source"."etag", "source"."version_id", ''), coalesce(CAST("source"."offset" AS varchar), ''))
  WHEN "kinesis" IS NOT NULL THEN 'kinesis:' || concat_ws('/', coalesce("kinesis"."stream_arn", ''), coalesce("kinesis"."shard_id", ''), coalesce("kinesis"."sequence_number", ''), coalesce("kinesis"."subsequence_number", ''))
  ELSE 'raw:' || to_hex(md5(to_utf8("raw")))
END ORDER BY "ingested_at" NULLS LAST, "processed_at", "$path") AS "dvault_copy" FROM "dvault"."dirty_all") WHERE "dvault_copy" = 1`,
    );
    const dirtyView = resourcesOfType(template, 'AWS::Glue::Table')[
      logicalIdOf(stack, stack.catalog.dirtyView)
    ] as unknown as { DependsOn: string[] };
    expect(dirtyView.DependsOn).toContain(
      logicalIdOf(stack, stack.catalog.dirtyTable),
    );
  });

  it('leaves no cdk-nag finding with the views in place', () => {
    const { app } = synthStack({ tables: [...TABLES, QUIZ_TABLE] });

    expect(nagFindings(app)).toEqual([]);
  });
});
