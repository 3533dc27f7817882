import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, type CfnElement, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { configFromContext } from '../../cdk/configFromContext.js';
import { REPO_ROOT } from '../../cdk/constants.js';
import type { TablePipeline } from '../../cdk/constructs/TablePipeline.js';
import { DvaultStack, type DvaultStackProps } from '../../cdk/DvaultStack.js';

/** The context of `cdk.json`: the dvault defaults and the feature flags. */
export const CDK_JSON_CONTEXT: Record<string, unknown> = JSON.parse(
  readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8'),
).context;

/** Options for one synthesis in a test. */
export interface SynthOptions {
  /** Run esbuild on the handlers (seconds); off, the code is a stub asset. */
  readonly bundle?: boolean;
  /** Context on top of `cdk.json`'s, as `-c key=value` would give. */
  readonly context?: Record<string, unknown>;
  /**
   * Read the settings from the context, as `cdk/app.ts` does; the props
   * still win. Off, the stack sees the props alone.
   */
  readonly fromContext?: boolean;
  /**
   * Run CDK's built-in CloudFormation template validation, as `cdk synth`
   * does. It takes most of a synthesis, so only the tests about it ask.
   */
  readonly validateTemplate?: boolean;
}

/** A fresh app holding one synthesized dvault stack. */
export interface SynthesizedStack {
  readonly app: App;
  readonly stack: DvaultStack;
  readonly template: Template;
}

/**
 * Builds a fresh app with `cdk.json`'s context and one `DvaultStack`, and
 * synthesizes it. Bundling and CloudFormation's template validation are
 * skipped unless asked for, which keeps a synthesis well under a second;
 * dedicated tests run each of them for real.
 */
export function synthStack(
  props: DvaultStackProps = {},
  options: SynthOptions = {},
): SynthesizedStack {
  const app = new App({
    builtinCloudFormationValidation: options.validateTemplate ?? false,
    context: {
      ...CDK_JSON_CONTEXT,
      'aws:cdk:disable-stack-trace': true,
      ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
      ...options.context,
    },
  });
  const settings = options.fromContext ? configFromContext(app.node) : {};
  const stack = new DvaultStack(app, 'Dvault', { ...settings, ...props });
  return { app, stack, template: Template.fromStack(stack) };
}

/** Every unacknowledged AwsSolutions finding, as `rule at construct path`. */
export function nagFindings(app: App): string[] {
  const report = new AwsSolutionsChecks().validateScope(app);
  return report.violations.flatMap((violation) =>
    violation.violatingResources.map(
      (resource) => `${violation.ruleName} at ${resource.constructPath}`,
    ),
  );
}

/** One acknowledgement recorded on a construct. */
export interface Acknowledgement {
  readonly path: string;
  readonly id: string;
  readonly reason: string;
}

/** Every acknowledgement made anywhere in a construct tree. */
export function acknowledgementsIn(root: IConstruct): Acknowledgement[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter(
        (entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY,
      )
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(
          ([id, reason]) => ({
            path: construct.node.path,
            id: id.replace(/^annotation::/i, ''),
            reason,
          }),
        ),
      ),
  );
}

/** The resources of one CloudFormation type, by logical id. */
export function resourcesOfType(
  template: Template,
  type: string,
): Record<string, { Properties: Record<string, unknown> }> {
  return template.findResources(type) as Record<
    string,
    { Properties: Record<string, unknown> }
  >;
}

/**
 * A CloudFormation value as text: `Fn::Join` joined, `Ref` as `<Id>` and
 * `Fn::GetAtt` as `<Id.Attribute>`, so assertions can read like the ARN.
 */
export function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  const object = value as Record<string, unknown>;
  if ('Fn::Join' in object) {
    const [separator, parts] = object['Fn::Join'] as [string, unknown[]];
    return parts.map(textOf).join(separator);
  }
  if ('Ref' in object) return `<${object.Ref}>`;
  if ('Fn::GetAtt' in object) {
    return `<${(object['Fn::GetAtt'] as string[]).join('.')}>`;
  }
  throw new Error(`No text form for ${JSON.stringify(value)}.`);
}

/** The logical id of the construct's CloudFormation resource. */
export function logicalIdOf(stack: DvaultStack, construct: IConstruct): string {
  const resource = construct.node.defaultChild ?? construct;
  return stack.getLogicalId(resource as CfnElement);
}

/** The pipeline of one table, failing the test when there is none. */
export function pipelineOf(stack: DvaultStack, table: string): TablePipeline {
  const pipeline = stack.pipelines.find((p) => p.tableName === table);
  if (pipeline === undefined) throw new Error(`No pipeline for ${table}.`);
  return pipeline;
}

/** One IAM statement with its actions and resources as sorted text. */
export interface StatementText {
  readonly actions: string[];
  readonly resources: string[];
}

/** Every statement of every policy attached to a role. */
export function statementsOf(
  stack: DvaultStack,
  template: Template,
  role: IConstruct,
): StatementText[] {
  const roleRef = `<${logicalIdOf(stack, role)}>`;
  return Object.values(resourcesOfType(template, 'AWS::IAM::Policy'))
    .filter((policy) =>
      (policy.Properties.Roles as unknown[]).some((r) => textOf(r) === roleRef),
    )
    .flatMap(
      (policy) =>
        (
          policy.Properties.PolicyDocument as {
            Statement: { Action: string | string[]; Resource: unknown }[];
          }
        ).Statement,
    )
    .map((statement) => ({
      actions: [statement.Action].flat().sort(),
      resources: [statement.Resource].flat().map(textOf).sort(),
    }));
}

/** The one statement granting an action, failing the test when none does. */
export function statementGranting(
  statements: StatementText[],
  action: string,
): StatementText {
  const found = statements.filter((s) => s.actions.includes(action));
  if (found.length !== 1) {
    throw new Error(`${found.length} statements grant ${action}, not one.`);
  }
  return found[0];
}

/** The parts of an Athena view's Glue table the tests read. */
export interface ViewInput {
  readonly Name: string;
  readonly TableType: string;
  readonly Parameters: Record<string, string>;
  readonly ViewOriginalText: string;
  readonly ViewExpandedText: string;
  readonly StorageDescriptor: {
    Columns: { Name: string; Type: string }[];
    SerdeInfo: Record<string, unknown>;
  };
}

/** The one Glue view of that name, failing the test unless there is one. */
export function viewOf(template: Template, name: string): ViewInput {
  const found = Object.values(resourcesOfType(template, 'AWS::Glue::Table'))
    .map((resource) => resource.Properties.TableInput as ViewInput)
    .filter(
      (input) => input.Name === name && input.TableType === 'VIRTUAL_VIEW',
    );
  if (found.length !== 1) {
    throw new Error(`${found.length} views are named ${name}, not one.`);
  }
  return found[0] as ViewInput;
}

/** The definition Athena reads from a view's `ViewOriginalText`. */
export interface DecodedView {
  originalSql: string;
  catalog: string;
  schema: string;
  columns: { name: string; type: string }[];
}

/** Decodes `/* Presto View: <base64 JSON> *\/` as Athena does. */
export function decodedView(view: ViewInput): DecodedView {
  const match = /^\/\* Presto View: ([A-Za-z0-9+/=]+) \*\/$/.exec(
    view.ViewOriginalText,
  );
  if (match === null) {
    throw new Error(`Not a Presto view text: ${view.ViewOriginalText}`);
  }
  return JSON.parse(Buffer.from(match[1] as string, 'base64').toString('utf8'));
}
