import { createClient } from 'redis';

/** Runs a submission (simulated): takes durationMs, returns a verdict. Keep it as it is. */
async function runJob(fields: Record<string, string>): Promise<string> {
  await new Promise((resolve) => setTimeout(resolve, Number(fields.durationMs ?? 100)));
  return (fields.code ?? '').includes('print') ? 'accepted' : 'wrong-answer';
}

interface Entry {
  id: string;
  message: Record<string, string>;
}

const consumer = process.env.CONSUMER ?? 'judge-1';
const client = createClient({ url: process.env.REDIS_URL });
client.on('error', (err: Error) => console.error('Redis:', err.message));
await client.connect();

// TODO: create the group `judges` on `runs` (client.xGroupCreate), unless it exists already.

/**
 * Reads entries for this consumer: `id` is '0' for its pending entries, '>' for new ones.
 * Answers a list of entries (message: the entry's fields), empty after `block` ms.
 */
async function read(id: '0' | '>', block: number): Promise<Entry[]> {
  const streams = await client.xReadGroup('judges', consumer, { key: 'runs', id }, { COUNT: 10, BLOCK: block });
  return streams === null ? [] : (streams as { messages: Entry[] }[])[0]?.messages ?? [];
}

// TODO: first the pending entries, then a loop over new ones: run, record, acknowledge (client.xAck).
