import { describe, expect, it } from 'vitest';
import { replayCommand } from '../../../local/commands/replay.js';
import { CommandArgumentError } from '../../../local/errors.js';

describe('replayCommand', () => {
  it('refuses conversion failures, which keep no event to replay', async () => {
    const replaying = replayCommand({
      lake: '.',
      kind: 'format_conversion_failed',
    });

    await expect(replaying).rejects.toBeInstanceOf(CommandArgumentError);
    await expect(replaying).rejects.toThrow(
      /keep the transformer's row, not the event/,
    );
  });

  it('names the kinds it replays when given another', async () => {
    await expect(replayCommand({ lake: '.', kind: 'clean' })).rejects.toThrow(
      'Unknown kind "clean"; expected one of unparsable, unroutable, unknown_service, invalid, misrouted, too_large, processing_failed.',
    );
  });

  it('refuses a fix module that does not exist before touching the lake', async () => {
    await expect(
      replayCommand({ lake: 'no-such-lake', fix: 'no-such-fix.ts' }),
    ).rejects.toThrow(/^Cannot load the fix module no-such-fix\.ts: /);
  });
});
