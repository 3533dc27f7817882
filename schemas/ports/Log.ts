/**
 * The narrow logger shared code receives: a message and plain objects of
 * attributes. `console` satisfies it as it is; Powertools' `Logger` types
 * its attributes more tightly, so the Lambda entries wrap it in a small
 * adapter (see `producer/handler.ts`).
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
