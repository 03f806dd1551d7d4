import { createClient } from 'redis';

/** Runs a submission (simulated): takes job.durationMs, returns a verdict. Keep it as it is. */
async function runJob(job) {
  await new Promise((resolve) => setTimeout(resolve, job.durationMs ?? 100));
  return job.code.includes('print') ? 'accepted' : 'wrong-answer';
}

const client = createClient({ url: process.env.REDIS_URL });
client.on('error', (err) => console.error('Redis:', err.message));
await client.connect();

// TODO: on SIGTERM, ask the loop to stop after the job in hand.

// TODO: the loop. Wait for a job: `await client.brPop('submissions', 1)` answers
// { key, element } when a job arrives, or null after a second (time to look at a stop flag).
// Parse the element, run the job, record the result in `results`.

await client.close();
