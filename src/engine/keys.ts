import type { Handlers } from './commands.js';

export const commands: Handlers = {};
