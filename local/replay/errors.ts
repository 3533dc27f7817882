import { LocalRunError } from '../errors.js';

/** The base of every error a local replay raises. */
export class ReplayError extends LocalRunError {}

/** A `--fix` module cannot be loaded, or its default export is no fix. */
export class FixModuleError extends ReplayError {}

/** A fix gave back something replay cannot use (a promise). */
export class FixResultError extends ReplayError {}
