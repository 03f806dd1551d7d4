import { createClient } from 'redis';

/** Runs a submission (simulated): takes durationMs, returns a verdict. Keep it as it is. */
async function runJob(fields) {
  await new Promise((resolve) => setTimeout(resolve, Number(fields.durationMs ?? 100)));
  return fields.code.includes('print') ? 'accepted' : 'wrong-answer';
}

const consumer = process.env.CONSUMER ?? 'judge-1';
const client = createClient({ url: process.env.REDIS_URL });
client.on('error', (err) => console.error('Redis:', err.message));
await client.connect();

// TODO: create the group `judges` on `runs` (client.xGroupCreate), unless it exists already.

/**
 * Reads entries for this consumer: `id` is '0' for its pending entries, '>' for new ones.
 * Answers a list of { id, message } (message: the entry's fields), empty after `block` ms.
 */
async function read(id, block) {
  const streams = await client.xReadGroup('judges', consumer, { key: 'runs', id }, { COUNT: 10, BLOCK: block });
  return streams === null ? [] : streams[0].messages;
}

// TODO: first the pending entries, then a loop over new ones: run, record, acknowledge (client.xAck).
