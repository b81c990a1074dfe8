import type { CliCommand } from '../command.js';
import { doctorCommand } from './doctor.js';
import { fakeArenaCommand } from './fake-arena.js';
import { serveCommand } from './serve.js';

/** Every command, in help order. The first is the default when none is named. */
export const COMMANDS: readonly CliCommand[] = [serveCommand, fakeArenaCommand, doctorCommand];
