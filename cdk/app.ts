/**
 * The CDK app: `npx cdk synth` (offline) or `npx cdk deploy` after
 * `npx cdk bootstrap`. Settings come from context (`cdk.json`, or
 * `-c dvault:shardCount=2` on the command line); cdk-nag's AwsSolutions
 * checks run on every synthesis and stop it on an unacknowledged finding.
 *
 * @example
 * npx cdk synth -c dvault:alarmEmail=data-team@example.com
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { configFromContext } from './configFromContext.js';
import { DvaultStack } from './DvaultStack.js';

const app = new App();
new DvaultStack(app, 'Dvault', {
  ...configFromContext(app.node),
  description: 'dvault pipeline: landed events to typed Athena tables.',
  env: {
    account: process.env.CDK_DEFAULT_ACCOUNT,
    region: process.env.CDK_DEFAULT_REGION,
  },
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
