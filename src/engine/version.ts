/** The version INFO, HELLO, LOLWUT and the RDB header report: the Redis this engine behaves like. */
export const REDIS_VERSION = '7.0.15';
