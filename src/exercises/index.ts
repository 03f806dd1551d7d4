/**
 * Code exercises: the learner writes a small Node.js program against Redis, redislings runs it
 * and judges what it does.
 *
 * Layout:
 *   exercise.ts   what an exercise is (data + checks), a check's result, the verdict
 *   starters.ts   the data files in exercises/<id>/: task.md, starter.mjs, starter.mts
 *   verify.ts     one verification: a Redis (bundled or the learner's), the program, clean-up
 *   context.ts    what the checks work with: start the program, watch its connections, poll
 *   program.ts    the learner's program as its own process: group, time limit, output, kill
 *   typescript.ts running .ts/.mts on Node 20 (esbuild strips the types as modules load)
 *   redis-link.ts the verifier's own RESP connection
 *   http.ts, database.ts   HTTP to the learner's server; the cache exercise's slow database
 *   results.ts    the list `results` the worker exercises write
 *   command.ts    `redislings exercise` and `redislings verify`
 *   one file per exercise: queue-worker.ts …
 *
 * For the app and a lesson's exercise step: findExercise(id) gives the exercise (id, title, keys);
 * exerciseTask(exercise) its task as Markdown; starterFile(exercise, 'js' | 'ts') the file to
 * write; verifyExercise(exercise, { file, url?, onCheck? }) runs the learner's program and
 * resolves with the verdict (each check with what was expected and seen). The program always
 * runs as its own process, never inside the app.
 */
import { cacheAside } from './cache-aside.js';
import type { Exercise } from './exercise.js';
import { producerEndpoint } from './producer-endpoint.js';
import { queueWorker } from './queue-worker.js';
import { reliableWorker } from './reliable-worker.js';
import { streamConsumer } from './stream-consumer.js';

export const EXERCISES: readonly Exercise[] = [queueWorker, producerEndpoint, reliableWorker, streamConsumer, cacheAside];

export function findExercise(id: string): Exercise | undefined {
  return EXERCISES.find((e) => e.id === id);
}
