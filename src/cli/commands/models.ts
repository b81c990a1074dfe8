import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { CONFIG_FLAG_OPTIONS, configFlagsHelp, loadConfig } from '../../config/index.js';
import { ensureDataDir, writeFileAtomic } from '../../storage/index.js';
import { BridgeCallError, bridgeUrlFrom, callBridge } from '../bridge-client.js';
import { printError, printLine } from '../cli-io.js';
import type { CliCommand } from '../command.js';
import { formatTable } from '../format-table.js';

/** The file `lmarena-bridge models` writes into the data directory. */
export const AVAILABLE_MODELS_FILE = 'available_models.json';

const modelSchema = z.object({
  id: z.string(),
  public_name: z.string(),
  name: z.string().nullable(),
  display_name: z.string().nullable(),
  organization: z.string().nullable(),
  provider: z.string().nullable(),
  stealth: z.boolean(),
  user_selectable: z.boolean(),
  arenas: z.array(z.string()),
  capabilities: z.object({ input: z.array(z.string()), output: z.array(z.string()) }),
});
const listSchema = z.object({ updated_at: z.number().nullable(), last_error: z.string().nullable(), data: z.array(modelSchema) });

/** `lmarena-bridge models`: the live model list of a running bridge, as a table and as available_models.json. */
export const modelsCommand: CliCommand = {
  name: 'models',
  summary: 'List the arena\'s models (from a running bridge) and write available_models.json',
  options: { ...CONFIG_FLAG_OPTIONS, 'bridge-url': { type: 'string' }, cached: { type: 'boolean' } },
  help: `Usage: lmarena-bridge models [options]

Asks a RUNNING bridge (lmarena-bridge serve, with a browser worker connected) to fetch the
model list from LMArena now, prints it as a table (name, organization, input and output
capabilities, stealth) and writes it to available_models.json in the data directory.
This command does not start a browser itself; start the bridge first.
models.json is not touched: it stays yours, for aliases and overrides.

Options:
  --bridge-url <url>      the running bridge (default: http://<host>:<port> from the configuration)
  --cached                print the list the bridge already has instead of fetching it again
${configFlagsHelp()}
  -h, --help              show this help`,

  async run({ argv, values, io }) {
    const { config } = await loadConfig({ argv, env: io.env, cwd: io.cwd, homeDir: io.homeDir ?? homedir() });
    const baseUrl = bridgeUrlFrom(values['bridge-url'], config);
    let list: z.infer<typeof listSchema>;
    try {
      list = await callBridge(
        { baseUrl, apiKey: config.server.apiKey, method: 'GET', path: values['cached'] === true ? '/internal/models' : '/internal/models?refresh=1', timeoutMs: 90_000 },
        listSchema,
      );
    } catch (error) {
      if (!(error instanceof BridgeCallError)) throw error;
      printError(io, `Cannot list models: ${error.message}`);
      return 1;
    }
    if (list.last_error !== null) printError(io, `warning: the latest fetch failed, showing an older list: ${list.last_error}`);
    const rows = list.data.map((model) => [
      model.public_name,
      model.organization ?? '-',
      model.capabilities.input.join(',') || '-',
      model.capabilities.output.join(',') || '-',
      model.stealth ? 'yes' : '',
    ]);
    printLine(io, formatTable(['NAME', 'ORGANIZATION', 'INPUT', 'OUTPUT', 'STEALTH'], rows));
    await ensureDataDir(config.dataDir);
    const file = join(config.dataDir, AVAILABLE_MODELS_FILE);
    await writeFileAtomic(file, `${JSON.stringify(list.data, null, 2)}\n`, { mode: 0o644 });
    const stealth = list.data.filter((model) => model.stealth).length;
    printLine(io, `${list.data.length} models (${stealth} stealth). Written to ${file}`);
    return 0;
  },
};
