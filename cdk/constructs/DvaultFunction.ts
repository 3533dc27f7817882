import { join } from 'node:path';
import type { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { type HandlerEntry, LOG_RETENTION, REPO_ROOT } from '../constants.js';

/** The runtime both handlers run on: the newest Node.js Lambda offers. */
export const HANDLER_RUNTIME = lambda.Runtime.NODEJS_24_X;

// An ESM bundle has no `require`; a few CommonJS dependencies still call it.
const REQUIRE_SHIM =
  "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

/** What a handler function needs besides its code. */
export interface DvaultFunctionProps {
  /** The handler file, relative to the repository root; exports `handler`. */
  readonly entry: HandlerEntry;
  readonly description: string;
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly environment: Record<string, string>;
  /** Where asynchronous invocations go once Lambda's retries are spent. */
  readonly onFailure?: lambda.IDestination;
  /** Retries of a failed asynchronous invocation (Lambda allows 0 to 2). */
  readonly retryAttempts?: number;
  /** How long an asynchronous invocation may wait before it is given up. */
  readonly maxEventAge?: Duration;
}

/**
 * One of the pipeline's Lambda functions: bundled from TypeScript with the
 * local esbuild (no Docker), Node.js 24 on arm64, logging to its own log
 * group, under a role that holds nothing but the right to write those logs.
 * Callers add their function's permissions to `role`.
 */
export class DvaultFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: DvaultFunctionProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: LOG_RETENTION,
    });
    this.role = this.executionRole();
    this.function = new NodejsFunction(this, 'Function', {
      entry: join(REPO_ROOT, props.entry),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      runtime: HANDLER_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      description: props.description,
      memorySize: props.memorySize,
      timeout: props.timeout,
      environment: props.environment,
      role: this.role,
      logGroup: this.logGroup,
      onFailure: props.onFailure,
      retryAttempts: props.retryAttempts,
      maxEventAge: props.maxEventAge,
      bundling: {
        format: OutputFormat.ESM,
        mainFields: ['module', 'main'],
        banner: REQUIRE_SHIM,
        // Bundle the AWS SDK too, so the deployed code runs the versions
        // the tests ran instead of whatever the runtime ships.
        externalModules: [],
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        forceDockerBundling: false,
      },
    });
  }

  private executionRole(): iam.Role {
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );
    return role;
  }
}
