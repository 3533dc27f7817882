// The entry of the producer's worker thread. A worker starts without the
// TypeScript loader its parent may have, so it registers tsx, then runs
// the thread's body.
import { register } from 'tsx/esm/api';

register();
await import('./producerThreadEntry.ts');
