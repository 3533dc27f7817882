#!/usr/bin/env node
// The `dvault` command: runs the TypeScript CLI through tsx, so no build step
// stands between `npm ci` and `npx dvault`.
import { register } from 'tsx/esm/api';

register();
await import('../local/cli.ts');
