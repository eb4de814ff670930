// Queue state for the admin diagnosis reads (/api/admin/workers/<queue>,
// /api/admin/queues/<queue>/failed), made with the real `bullmq` package, and BullMQ's own view
// of it: named and unnamed workers (with decoys: QueueEvents, another queue, another prefix) and
// failed jobs with stack traces (some retried, so their traces hold several attempts).
// Prints READY, then answers "ORACLE <n>" with one line:
//   ORACLE {"workers": queue.getWorkers(), "failed": getFailed(0, n-1) as the endpoint's fields}
// until "QUIT" or end of input.
//
// usage: node admin_oracle.cjs <bullmq-dir> <redis-url> <prefix> <queue>
'use strict';
const path = require('path');
const { createRequire } = require('module');
const readline = require('readline');

const [bullmqDir, redisUrl, prefix, name] = process.argv.slice(2);
const { Queue, Worker, QueueEvents } = createRequire(path.resolve(bullmqDir, 'package.json'))('bullmq');
const url = new URL(redisUrl);
const connection = {
  host: url.hostname,
  port: Number(url.port || 6379),
  db: Number((url.pathname || '/0').slice(1) || 0),
  maxRetriesPerRequest: null,
};
const closers = [];
const hardStop = setTimeout(() => { console.error('admin_oracle: timeout'); process.exit(2); }, 120000);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function processor(job) {
  if (job.name === 'ok') return 'ok';
  // The message names the attempt, so the latest trace differs from the first.
  throw new Error(`boom ${job.data.n} "quoted" <attempt ${job.attemptsMade}>\nsecond line`);
}

function worker(queue, opts) {
  const w = new Worker(queue, processor, { connection, prefix, concurrency: 1, ...opts });
  w.on('error', () => {});
  closers.push(() => w.close(true));
  return w;
}

(async () => {
  const q = new Queue(name, { connection, prefix });
  closers.push(() => q.close());
  const workers = [worker(name, {}), worker(name, { name: 'w-a' }), worker(name, { name: 'w:b' })];
  const decoys = [worker(name + '2', { name: 'decoy' }),
                  new Worker(name, processor, { connection, prefix: prefix + '-other', autorun: false })];
  closers.push(() => decoys[1].close(true));
  const qe = new QueueEvents(name, { connection, prefix });
  closers.push(() => qe.close());
  for (const w of [...workers, ...decoys]) await w.waitUntilReady();
  await qe.waitUntilReady();

  const jobs = 25;
  for (let n = 0; n < jobs; n++) {
    await q.add(n % 5 === 4 ? 'ok' : `fail-${n}`, { n }, { attempts: n % 3 === 0 ? 2 : 1 });
  }
  const deadline = Date.now() + 60000;
  for (;;) {
    const c = await q.getJobCounts('completed', 'failed');
    if (c.completed + c.failed === jobs) break;
    if (Date.now() > deadline) throw new Error('admin_oracle: jobs did not finish');
    await sleep(25);
  }
  console.log('READY');
  const rl = readline.createInterface({ input: process.stdin });
  for await (const line of rl) {
    if (line.startsWith('ORACLE ')) {
      const n = Number(line.split(' ')[1]);
      const failed = (await q.getFailed(0, n - 1)).map((j) => ({
        id: j.id,
        name: j.name,
        failedReason: j.failedReason,
        attemptsMade: j.attemptsMade,
        timestamp: j.timestamp,
        finishedOn: Number(j.finishedOn),
        stacktrace: (j.stacktrace.length ? j.stacktrace[j.stacktrace.length - 1] : '').split('\n')[0],
      }));
      console.log('ORACLE ' + JSON.stringify({ workers: await q.getWorkers(), failed }));
    } else if (line === 'QUIT') {
      break;
    }
  }
  await Promise.allSettled(closers.reverse().map((c) => c()));
  clearTimeout(hardStop);
  process.exit(0);
})().catch((e) => { console.error(e); process.exit(1); });
