import { afterEach, beforeEach, vi } from 'vitest';
import 'aws-sdk-client-mock-vitest/extend';

// Tests read logs as parsed objects from spies; the console itself stays quiet.
beforeEach(() => {
  for (const method of ['log', 'info', 'debug', 'warn', 'error'] as const) {
    vi.spyOn(console, method).mockImplementation(() => undefined);
  }
});

afterEach(() => {
  vi.restoreAllMocks();
});
