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

// TODO: on SIGTERM, ask the loop to stop after the job in hand.

// TODO: the loop. Wait for a job: `await client.brPop('submissions', 1)` answers
// { key, element } when a job arrives, or null after a second (time to look at a stop flag).
// Parse the element, run the job, record the result in `results`.

await client.close();
