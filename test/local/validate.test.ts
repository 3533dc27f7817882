import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateFiles } from '../../local/validate/validateFiles.js';
import { EVENTS } from '../helpers/dvaultEvents.js';
import { SAMPLE_COUNTS, SHARED_SAMPLES_DIR } from '../helpers/samples.js';
import { dvault } from './cliProcess.js';

describe('dvault validate', () => {
  it('counts the real samples per table and lists the 2 unroutable events', async () => {
    const { stdout } = await dvault(['validate', SHARED_SAMPLES_DIR, '--json']);

    const report = JSON.parse(stdout);
    expect(report).toMatchObject({
      files: 13,
      events: 782,
      clean: SAMPLE_COUNTS,
    });
    expect(report.dirty).toHaveLength(2);
    for (const finding of report.dirty) {
      expect(finding.kind).toBe('unroutable');
      expect(finding.reasons[0].path).toBe('detail.evaluation.service');
    }
  });

  it('prints a table and each dirty event with its reasons for people', async () => {
    const { stdout } = await dvault(['validate', SHARED_SAMPLES_DIR]);

    expect(stdout).toContain('13 files, 782 events: 780 clean, 2 dirty.');
    expect(stdout).toMatch(/summarizer_event\s+380/);
    expect(stdout).toContain(
      'expected a service name, or a prediction_id ending in #<service>',
    );
  });

  it('reads NDJSON and arrays, and names the byte offset of garbage', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dvault-validate-'));
    const one = JSON.stringify(EVENTS.headliner_event());
    const two = JSON.stringify(EVENTS.ste_pred());
    await writeFile(join(dir, 'lines.ndjson'), `${one}\n${two}\n`);
    await writeFile(join(dir, 'array.json'), `[${one},${two}]`);
    await writeFile(join(dir, 'broken'), `${one}not json at all${two}`);

    const report = await validateFiles([
      join(dir, 'lines.ndjson'),
      join(dir, 'array.json'),
      join(dir, 'broken'),
    ]);

    expect(report.clean).toMatchObject({ headliner_event: 3, ste_pred: 3 });
    expect(report.dirty).toEqual([
      expect.objectContaining({
        kind: 'unparsable',
        file: join(dir, 'broken'),
        offset: Buffer.byteLength(one),
      }),
    ]);
    expect(report.events).toBe(7);
  });

  it('calls an event too large for one Kinesis record too_large, as the producer would', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dvault-validate-'));
    const big = EVENTS.summarizer_event();
    big.detail.evaluation.payload.text = 'x'.repeat(2 * 1024 * 1024);
    await writeFile(
      join(dir, 'big'),
      `${JSON.stringify(big)}${JSON.stringify(EVENTS.headliner_event())}`,
    );

    const report = await validateFiles([join(dir, 'big')]);

    expect(report.clean).toMatchObject({
      summarizer_event: 0,
      headliner_event: 1,
    });
    expect(report.dirty).toEqual([
      expect.objectContaining({
        kind: 'too_large',
        table: 'summarizer_event',
        event_id: big.id,
        offset: 0,
      }),
    ]);
    expect(report.dirty[0]?.reasons[0]?.message).toMatch(
      /would be \d+ bytes .* at most 1048576/,
    );
  });

  it('calls a routed but invalid event too large before invalid, and an object past 8 MiB too large, as the producer does', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dvault-validate-'));
    const invalid = EVENTS.summarizer_event();
    invalid.detail.evaluation.payload.text = 'x'.repeat(2 * 1024 * 1024);
    invalid.detail.evaluation.payload.paragraph = 'two';
    const huge = EVENTS.ste_event();
    huge.detail.evaluation.payload.text = 'y'.repeat(9 * 1024 * 1024);
    await writeFile(
      join(dir, 'big'),
      `${JSON.stringify(invalid)}${JSON.stringify(huge)}`,
    );

    const report = await validateFiles([join(dir, 'big')]);

    expect(report.dirty.map((d) => [d.kind, d.table, d.index])).toEqual([
      ['too_large', 'summarizer_event', 0],
      ['too_large', null, 1],
    ]);
  });

  it('counts, per table, the clean events that carry unknown fields', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dvault-validate-'));
    const odd = EVENTS.ste_pred();
    odd.detail.prediction.output.model_temperature = 0.7;
    await writeFile(
      join(dir, 'odd'),
      `${JSON.stringify(odd)}${JSON.stringify(EVENTS.ste_pred())}`,
    );

    const report = await validateFiles([join(dir, 'odd')]);

    expect(report.clean.ste_pred).toBe(2);
    expect(report.unknown_fields).toMatchObject({ ste_pred: 1, ste_event: 0 });
  });

  it('fails with a clear message when a path does not exist', async () => {
    await expect(dvault(['validate', '/no/such/dvault'])).rejects.toMatchObject(
      {
        stderr: expect.stringContaining('Cannot read /no/such/dvault'),
      },
    );
  });
});
