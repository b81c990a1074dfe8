import type { CliCommand } from '../command.js';
import { captureIdsCommand } from './capture-ids.js';
import { doctorCommand } from './doctor.js';
import { fakeArenaCommand } from './fake-arena.js';
import { loginCommand } from './login.js';
import { modelsCommand } from './models.js';
import { serveCommand } from './serve.js';

/** Every command, in help order. The first is the default when none is named. */
export const COMMANDS: readonly CliCommand[] = [serveCommand, loginCommand, modelsCommand, captureIdsCommand, fakeArenaCommand, doctorCommand];
