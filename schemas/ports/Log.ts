/**
 * The narrow logger shared code receives. Powertools' `Logger` satisfies it,
 * and so does `console` for the command line.
 */
export interface Log {
  debug(message: string, ...extra: object[]): void;
  info(message: string, ...extra: object[]): void;
  warn(message: string, ...extra: object[]): void;
  error(message: string, ...extra: object[]): void;
}

/** A logger that says nothing, for callers that asked for silence. */
export const SILENT_LOG: Log = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
