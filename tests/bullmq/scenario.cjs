// Fills BullMQ queues with real state (every job state, named and unnamed workers, paused
// queues, flows, QueueEvents, decoy connections) using the real `bullmq` package, then answers
// "ORACLE" lines on stdin with BullMQ's own view (getJobCounts, isPaused, getWorkersCount,
// getMetrics) as one JSON line, until "QUIT" or end of input.
//
// usage: node scenario.cjs <bullmq-dir> <redis-url> <prefix> <queue>[,<queue>...]
// A rediss:// URL connects over TLS (ioredis `tls` options) with the CA, client certificate and
// key named by CERNIQ_REDIS_TLS_CA, CERNIQ_REDIS_TLS_CERT and CERNIQ_REDIS_TLS_KEY.
// A redis+sentinel://host:port,host:port/<master>/<db> URL connects through those Sentinels
// (ioredis `sentinels`, with its failover detector so every connection follows a failover);
// rediss+sentinel://... reaches the Sentinels and the master over TLS (the same TLS files).
// A redis+cluster://host:port,host:port URL gives every Queue, Worker, QueueEvents and
// FlowProducer its own ioredis Cluster client over those seed nodes (use a `{hash tag}` prefix).
'use strict';
const path = require('path');
const fs = require('fs');
const { createRequire } = require('module');
const readline = require('readline');

const [bullmqDir, redisUrl, prefix, queueList] = process.argv.slice(2);
const bullmq = createRequire(path.join(bullmqDir, 'package.json'))('bullmq');
const { Queue, Worker, QueueEvents, FlowProducer } = bullmq;
const tlsFiles = () => {
  const file = (name) => (process.env[name] ? fs.readFileSync(process.env[name]) : undefined);
  return {
    ca: file('CERNIQ_REDIS_TLS_CA'),
    cert: file('CERNIQ_REDIS_TLS_CERT'),
    key: file('CERNIQ_REDIS_TLS_KEY'),
  };
};
function sentinelConnection(u) {
  const tls = u.startsWith('rediss+');
  const [hosts, name, db] = u.slice(u.indexOf('://') + 3).split('/');
  return {
    ...(tls ? { tls: tlsFiles(), sentinelTLS: tlsFiles(), enableTLSForSentinelMode: true } : {}),
    sentinels: hosts.split(',').map((h) => ({ host: h.split(':')[0], port: Number(h.split(':')[1]) })),
    name,
    db: Number(db || 0),
    failoverDetector: true,
    maxRetriesPerRequest: null,
  };
}
const clusterNodes = redisUrl.startsWith('redis+cluster://')
  ? redisUrl.slice('redis+cluster://'.length).split('/')[0].split(',')
    .map((h) => ({ host: h.split(':')[0], port: Number(h.split(':')[1]) }))
  : null;
const viaSentinel = /^rediss?\+sentinel:\/\//.test(redisUrl);
const url = viaSentinel || clusterNodes ? null : new URL(redisUrl);
const connection = url ? {
  host: url.hostname,
  port: Number(url.port || 6379),
  db: Number((url.pathname || '/0').slice(1) || 0),
  password: url.password ? decodeURIComponent(url.password) : undefined,
  maxRetriesPerRequest: null,
} : (clusterNodes ? null : sentinelConnection(redisUrl));
// The connection option of one Queue/Worker/...: options, or a Cluster client of its own.
function conn() {
  if (!clusterNodes) return connection;
  const { Cluster } = createRequire(path.join(bullmqDir, 'package.json'))('ioredis');
  const c = new Cluster(clusterNodes, { redisOptions: { maxRetriesPerRequest: null } });
  closers.push(() => c.quit().catch(() => {}));
  return c;
}
if (url && url.protocol === 'rediss:') connection.tls = tlsFiles();
const queues = queueList.split(',');
const closers = [];
const releaseLong = [];
const hardStop = setTimeout(() => { console.error('scenario: timeout'); process.exit(2); }, 120000);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function until(what, check, ms = 20000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(25);
  }
  throw new Error('scenario: timed out waiting for ' + what);
}

async function processor(job) {
  if (job.name === 'fail') throw new Error('planned failure');
  if (job.name === 'long') await new Promise((resolve) => releaseLong.push(resolve));
  return 'ok';
}

function startWorker(queue, i, k, workerPrefix = prefix) {
  const opts = { connection: conn(), prefix: workerPrefix, concurrency: 1 };
  if (i % 7 !== 5) opts.metrics = { maxDataPoints: 60 };  // some queues without metrics
  if ((i + k) % 2 === 1) opts.name = `w${i}-${k}`;          // named and unnamed workers
  const w = new Worker(queue, processor, opts);
  w.on('error', () => {});
  closers.push(() => w.close(true));
  return w;
}

async function fillQueue(name, i) {
  const q = new Queue(name, { connection: conn(), prefix });
  closers.push(() => q.close());
  const workerCount = name === 'alerts' ? 0 : (i % 4 === 0 ? 2 : 1);
  const workers = [];
  for (let k = 0; k < workerCount; k++) workers.push(startWorker(name, i, k));
  for (const w of workers) await w.waitUntilReady();

  const ok = 1 + (i % 3), fails = i % 3;
  if (workerCount > 0) {
    for (let n = 0; n < ok; n++) await q.add('ok', { n }, { removeOnComplete: n === 0 && i % 2 === 0 });
    for (let n = 0; n < fails; n++) await q.add('fail', { n }, { attempts: 1 });
    await until(`${name} finished jobs`, async () => {
      const c = await q.getJobCounts('completed', 'failed');
      return c.completed + c.failed + (i % 2 === 0 ? 1 : 0) >= ok + fails;
    });
    for (let k = 0; k < workerCount; k++) await q.add('long', {});
    await until(`${name} active`, async () => (await q.getJobCounts('active')).active === workerCount);
  }
  const waiting = (i * 3) % 7 + (name === 'churn' ? 60 : 0);
  for (let n = 0; n < waiting; n++) await q.add('wait', { n });
  for (let n = 0; n < i % 2; n++) await q.add('prio', {}, { priority: 5 });
  for (let n = 0; n < i % 3; n++) await q.add('later', {}, { delay: 3600 * 1000 });
  if (i % 5 === 0) {
    const flow = new FlowProducer({ connection: conn(), prefix });
    closers.push(() => flow.close());
    await flow.add({ name: 'parent', queueName: name, children: [{ name: 'child', queueName: name }] });
  }
  if (name === 'sentiment' || name === 'hitl') {
    await q.pause();
    await q.add('while-paused', {});
  }
  if (name === 'churn') {
    const qe = new QueueEvents(name, { connection: conn(), prefix });  // a `:qe` connection, not a worker
    closers.push(() => qe.close());
    await qe.waitUntilReady();
  }
  return q;
}

async function oracle(q) {
  const counts = await q.getJobCounts('active', 'completed', 'delayed', 'failed', 'prioritized',
                                      'waiting', 'waiting-children', 'paused');
  const waitingJobs = await q.getJobs(['wait', 'paused'], 0, -1, true);
  const now = Date.now();
  let oldest = 0;
  for (const j of waitingJobs) {
    if (j) oldest = Math.max(oldest, (now - j.timestamp - (j.delay || 0)) / 1000);
  }
  const completed = await q.getMetrics('completed', 0, 0);
  const failed = await q.getMetrics('failed', 0, 0);
  return {
    counts,
    paused: await q.isPaused(),
    workers: await q.getWorkersCount(),
    completedCount: Number(completed.meta.count) || 0,
    failedCount: Number(failed.meta.count) || 0,
    oldestWaitingAge: oldest,
  };
}

(async () => {
  const filled = {};
  for (let i = 0; i < queues.length; i++) filled[queues[i]] = await fillQueue(queues[i], i);
  // Decoys: a worker of a queue whose base64 name extends one of ours ("alerts2" vs "alerts"),
  // and a worker of a watched queue name under another prefix.
  for (const [queue, p] of [['alerts2', prefix], [queues[0], prefix + '-other']]) {
    const w = startWorker(queue, 1, 0, p);
    await w.waitUntilReady();
  }
  console.log('READY');
  const rl = readline.createInterface({ input: process.stdin });
  for await (const line of rl) {
    if (line === 'ORACLE') {
      const out = {};
      for (const [name, q] of Object.entries(filled)) out[name] = await oracle(q);
      console.log('ORACLE ' + JSON.stringify(out));
    } else if (line.startsWith('ADD ')) {  // ADD <queue> <n>: more waiting jobs
      const [, name, n] = line.split(' ');
      for (let k = 0; k < Number(n); k++) await filled[name].add('more', {});
      console.log('ADDED');
    } else if (line === 'QUIT') {
      break;
    }
  }
  releaseLong.forEach((r) => r());
  await Promise.allSettled(closers.reverse().map((c) => c()));
  clearTimeout(hardStop);
  process.exit(0);
})().catch((e) => { console.error(e); process.exit(1); });
