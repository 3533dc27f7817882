import { PipelineError } from '../schemas/index.js';

/** The base of every error the CDK app raises while building the stack. */
export class DeploymentError extends PipelineError {}

/** A context value or stack property is malformed or out of its range. */
export class DeploymentConfigError extends DeploymentError {}

/** A registry table cannot be deployed as it stands (its name, mostly). */
export class TableDeploymentError extends DeploymentError {}
