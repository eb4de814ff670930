// A BullMQ queue with live workers that the end-to-end test can stop: adds a few jobs, runs
// `count` metrics-enabled workers until it reads "STOP" on stdin (then closes them and prints
// STOPPED), and exits on "QUIT" or end of input. Prints READY once the jobs are processed.
//
// usage: node sentiment_workers.cjs <bullmq-dir> <redis-url> <prefix> <queue> <count>
'use strict';
const path = require('path');
const { createRequire } = require('module');
const readline = require('readline');

const [bullmqDir, redisUrl, prefix, name, countArg] = process.argv.slice(2);
const { Queue, Worker } = createRequire(path.join(bullmqDir, 'package.json'))('bullmq');
const url = new URL(redisUrl);
const connection = { host: url.hostname, port: Number(url.port || 6379), maxRetriesPerRequest: null };
const hardStop = setTimeout(() => { console.error('workers: timeout'); process.exit(2); }, 300000);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

(async () => {
  const queue = new Queue(name, { connection, prefix });
  let workers = [];
  for (let k = 0; k < Number(countArg); k++) {
    const w = new Worker(name, async (job) => {
      if (job.name === 'fail') throw new Error('planned failure');
      return 'ok';
    }, { connection, prefix, concurrency: 1, metrics: { maxDataPoints: 60 }, name: `e2e-${k}` });
    w.on('error', () => {});
    await w.waitUntilReady();
    workers.push(w);
  }
  for (let n = 0; n < 5; n++) await queue.add('ok', { n });
  await queue.add('fail', {}, { attempts: 1 });
  const deadline = Date.now() + 20000;
  for (;;) {
    const c = await queue.getJobCounts('completed', 'failed');
    if (c.completed + c.failed >= 6) break;
    if (Date.now() > deadline) throw new Error('workers: jobs not processed in 20 s');
    await sleep(25);
  }
  console.log('READY');
  const rl = readline.createInterface({ input: process.stdin });
  for await (const line of rl) {
    if (line === 'STOP') {
      await Promise.all(workers.map((w) => w.close()));
      workers = [];
      console.log('STOPPED');
    } else if (line === 'QUIT') {
      break;
    }
  }
  await Promise.all(workers.map((w) => w.close(true)));
  await queue.close();
  clearTimeout(hardStop);
  process.exit(0);
})().catch((e) => { console.error(e); process.exit(1); });
