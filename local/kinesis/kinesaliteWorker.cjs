'use strict';
// The body of the embedded Kinesis's worker thread: kinesalite, in memory,
// on a free loopback port, with its sequence arithmetic on native BigInt.
// It runs beside the pipeline's own thread so the two share the cores.
// Messages: it posts `{ port }` once listening; on `'close'` it closes the
// server and posts `{ closed: true }`.

const { parentPort, workerData } = require('node:worker_threads');
const kinesalite = require('kinesalite');
const { speedUpKinesalite } = require('./fastSequences.cjs');

speedUpKinesalite(require('kinesalite/db/index.js'));

const server = kinesalite(workerData);
server.listen(0, '127.0.0.1', () => {
  parentPort.postMessage({ port: server.address().port });
});
parentPort.on('message', (message) => {
  if (message !== 'close') return;
  server.close(() => parentPort.postMessage({ closed: true }));
  server.closeAllConnections();
});
