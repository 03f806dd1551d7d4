import { createClient } from 'redis';

interface Job {
  id: number;
  problemId: string;
  userId: string;
  code: string;
  language: string;
  durationMs?: number;
}

/** Runs a submission (simulated): takes job.durationMs, returns a verdict. Keep it as it is. */
async function runJob(job: Job): Promise<string> {
  await new Promise((resolve) => setTimeout(resolve, job.durationMs ?? 100));
  return job.code.includes('print') ? 'accepted' : 'wrong-answer';
}

const client = createClient({ url: process.env.REDIS_URL });
client.on('error', (err: Error) => console.error('Redis:', err.message));
await client.connect();

let stopping = false;
process.on('SIGTERM', () => { stopping = true; });

/** Runs one job, given as the text taken from Redis, records its result and acknowledges it. */
async function handle(text: string): Promise<void> {
  const job = JSON.parse(text) as Job;
  // TODO: run it, record the result in `results`, then remove `text` from `processing`.
}

// TODO: first, the jobs a crash left in `processing` (`await client.lRange('processing', 0, -1)`).

while (!stopping) {
  // TODO: take the next job with `await client.blMove('submissions', 'processing', 'RIGHT', 'LEFT', 1)`
  // (null after a second without a job) and handle it.
  await new Promise((resolve) => setTimeout(resolve, 1000));
}
await client.close();
