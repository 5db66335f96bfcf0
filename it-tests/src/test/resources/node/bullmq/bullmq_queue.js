// BullMQ on the server at 127.0.0.1:<port>: every kind of job one Worker runs, checked as it goes.
// Exits 1 with the reason at the first wrong result; else prints the queue's final job counts.
const { Queue, Worker, QueueEvents, FlowProducer } = require('bullmq');

const connection = { host: '127.0.0.1', port: Number(process.argv[2]) };
const WAIT_MS = 30000;

function fail(reason) {
  console.log('FAIL ' + reason);
  process.exit(1);
}

async function main() {
  const name = 'jobs';
  const queue = new Queue(name, { connection });
  const events = new QueueEvents(name, { connection });
  await events.waitUntilReady();
  const runs = {};
  const worker = new Worker(name, async job => {
    runs[job.id] = (runs[job.id] || 0) + 1;
    if (job.name === 'flaky' && job.attemptsMade < 2) throw new Error('not yet');
    if (job.name === 'doomed') throw new Error('always');
    if (job.name === 'parent') {
      return Object.values(await job.getChildrenValues()).reduce((sum, value) => sum + value, 0);
    }
    return job.data.n * 2;
  }, { connection, concurrency: 5 });

  const jobs = [];
  for (let n = 0; n < 40; n++) jobs.push(await queue.add('plain', { n }));
  for (let n = 40; n < 45; n++) jobs.push(await queue.add('delayed', { n }, { delay: 300 }));
  for (let n = 45; n < 50; n++) jobs.push(await queue.add('prioritised', { n }, { priority: 1 + (n % 3) }));
  jobs.push(...await queue.addBulk([50, 51, 52].map(n => ({ name: 'bulk', data: { n } }))));
  const flaky = await queue.add('flaky', { n: 100 }, { attempts: 3, backoff: { type: 'fixed', delay: 100 } });
  const doomed = await queue.add('doomed', { n: 101 }, { attempts: 2 });
  const flow = await new FlowProducer({ connection }).add({
    name: 'parent', queueName: name, data: { n: 0 },
    children: [1, 2, 3].map(n => ({ name: 'child', queueName: name, data: { n } })),
  });

  for (const job of jobs) {
    const value = await job.waitUntilFinished(events, WAIT_MS);
    if (value !== job.data.n * 2) fail(`${job.name} job ${job.id} returned ${value}`);
    if (runs[job.id] !== 1) fail(`${job.name} job ${job.id} ran ${runs[job.id]} times`);
  }
  for (const job of jobs.filter(j => j.name === 'delayed')) {
    const done = await queue.getJob(job.id);
    if (done.processedOn - done.timestamp < 300) fail(`a job delayed 300 ms ran after ${done.processedOn - done.timestamp} ms`);
  }
  if (await flaky.waitUntilFinished(events, WAIT_MS) !== 200 || runs[flaky.id] !== 3) {
    fail(`the flaky job ran ${runs[flaky.id]} times`);
  }
  try {
    await doomed.waitUntilFinished(events, WAIT_MS);
    fail('the doomed job completed');
  } catch (error) {
    if (error.message !== 'always' || runs[doomed.id] !== 2) fail(`the doomed job: ${error.message}, ${runs[doomed.id]} runs`);
  }
  const total = await flow.job.waitUntilFinished(events, WAIT_MS);
  if (total !== 12) fail(`the parent summed its children to ${total}`);

  const failed = await queue.getFailed();
  if (failed.length !== 1 || failed[0].failedReason !== 'always') fail('the failed list');
  await queue.pause();
  if (!await queue.isPaused()) fail('pause');
  await queue.resume();
  const counts = await queue.getJobCounts('completed', 'failed', 'delayed', 'waiting', 'active');
  await worker.close();
  await events.close();
  await queue.obliterate({ force: true });
  await queue.close();
  console.log(Object.entries(counts).map(([state, count]) => `${state}=${count}`).join(' '));
}

main().then(() => process.exit(0), error => fail(error.stack));
