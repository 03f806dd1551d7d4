/**
 * A private redis-server that a test can crash (kill -9) and restart on the same port and
 * directory, for the persistence lesson on real Redis: the managed server of --engine
 * redis-server (src/backend/managed.ts), which a restart keeps the persistence settings of
 * (appendonly, save, appendfsync), as if they had been written to its config file.
 */
import { ManagedServer } from '../../src/backend/managed.js';

export type ManagedRedis = ManagedServer;

export function startManagedRedis(): Promise<ManagedRedis> {
  return ManagedServer.start();
}
