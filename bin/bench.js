#!/usr/bin/env node
// `npm run bench [-- NAME...]`: runs the benchmark scripts under bench/.
import { register } from 'tsx/esm/api';

register();
await import('../bench/run.ts');
