import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { REPO_ROOT } from '../../cdk/constants.js';
import { TABLES } from '../../schemas/index.js';
import { CDK_JSON_CONTEXT } from './synthStack.js';

interface CfnTemplate {
  Resources: Record<
    string,
    { Type: string; Properties: Record<string, unknown> }
  >;
}

interface AssetManifest {
  files: Record<string, { source: { path: string; packaging?: string } }>;
}

/**
 * Runs `cdk/app.ts` the way `npx cdk synth` does (cdk.json's context in
 * CDK_CONTEXT_JSON, a fresh output folder): esbuild bundles both handlers,
 * CDK validates the template and cdk-nag's plugin gates the synthesis.
 */
async function synthesizeApp(outdir: string) {
  return promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', join(REPO_ROOT, 'cdk', 'app.ts')],
    {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        CDK_OUTDIR: outdir,
        CDK_CONTEXT_JSON: JSON.stringify(CDK_JSON_CONTEXT),
      },
    },
  );
}

describe('cdk/app.ts', () => {
  let outdir: string;
  let template: CfnTemplate;
  let assets: AssetManifest;

  beforeAll(async () => {
    outdir = mkdtempSync(join(tmpdir(), 'dvault-cdk-'));
    await synthesizeApp(outdir);
    template = JSON.parse(
      readFileSync(join(outdir, 'Dvault.template.json'), 'utf8'),
    );
    assets = JSON.parse(
      readFileSync(join(outdir, 'Dvault.assets.json'), 'utf8'),
    );
  });

  afterAll(() => {
    rmSync(outdir, { recursive: true, force: true });
  });

  it('synthesizes with cdk-nag and template validation reporting nothing', () => {
    const report = JSON.parse(
      readFileSync(join(outdir, 'validation-report.json'), 'utf8'),
    );

    expect(report.pluginReports).toEqual([]);
    const streams = Object.values(template.Resources).filter(
      (resource) => resource.Type === 'AWS::Kinesis::Stream',
    );
    expect(streams).toHaveLength(TABLES.length);
  });

  it('bundles each handler into an ESM file whose handler loads as a function', async () => {
    vi.stubEnv('DVAULT_LAKE_BUCKET', 'lake-bucket-for-import');
    const functions = Object.values(template.Resources).filter(
      (resource) =>
        resource.Type === 'AWS::Lambda::Function' &&
        resource.Properties.Runtime === 'nodejs24.x',
    );

    expect(functions).toHaveLength(2);
    for (const fn of functions) {
      expect(fn.Properties.Handler).toBe('index.handler');
      const key = (fn.Properties.Code as { S3Key: string }).S3Key;
      const asset = assets.files[key.replace(/\.zip$/, '')];
      const bundle = join(outdir, asset.source.path, 'index.mjs');
      expect(existsSync(bundle), bundle).toBe(true);
      const loaded = await import(pathToFileURL(bundle).href);
      expect(typeof loaded.handler).toBe('function');
    }
    vi.unstubAllEnvs();
  });
});
