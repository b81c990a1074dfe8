#!/usr/bin/env node
/** Entry point of the `lmarena-bridge` command; the commands are wired in src/cli/commands. */
console.error('lmarena-bridge: commands are not wired yet');
process.exitCode = 1;
