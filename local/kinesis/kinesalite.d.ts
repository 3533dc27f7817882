// kinesalite ships no types; this declares the one factory the embedded
// Kinesis uses. Options are those of its `cli.js`.
declare module 'kinesalite' {
  import type { Server } from 'node:http';

  interface KinesaliteOptions {
    /** A LevelDB folder; without it the store lives in memory. */
    path?: string;
    createStreamMs?: number;
    deleteStreamMs?: number;
    updateStreamMs?: number;
    shardLimit?: number;
  }

  export default function kinesalite(options?: KinesaliteOptions): Server;
}
