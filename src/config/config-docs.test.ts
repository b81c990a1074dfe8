import { copyFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDirForTest } from '../../test/support/temp-dir.js';
import { loadConfig } from './load-config.js';
import { OVERRIDES } from './overrides.js';
import { RETIRED_KEYS, SETTING_KEYS } from './settings-schema.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string): Promise<string> => readFile(join(root, path), 'utf8');

describe('configuration docs and examples', () => {
  it('document every key, retired key, flag and variable', async () => {
    const docs = await read('docs/configuration.md');
    const missing = [
      ...SETTING_KEYS.filter((key) => !docs.includes(`| \`${key}\` |`)),
      ...Object.keys(RETIRED_KEYS).filter((key) => !docs.includes(`\`${key}\``)),
      ...OVERRIDES.flatMap((spec) => [`--${spec.flag}`, spec.env]).filter((name) => !docs.includes(`\`${name}\``)),
    ];
    expect(missing).toEqual([]);
  });

  it('README lists every key', async () => {
    const readme = await read('README.md');
    expect(SETTING_KEYS.filter((key) => !readme.includes(`| \`${key}\` |`))).toEqual([]);
  });

  it('config.example.jsonc shows every key', async () => {
    const example = await read('config.example.jsonc');
    expect(SETTING_KEYS.filter((key) => !example.includes(`"${key}":`))).toEqual([]);
  });

  it('the examples load without problems or unknown keys', async () => {
    const dir = await tempDirForTest('bridge-examples-');
    await copyFile(join(root, 'config.example.jsonc'), join(dir, 'config.jsonc'));
    await copyFile(join(root, 'models.example.json'), join(dir, 'models.json'));
    await copyFile(join(root, 'model_endpoint_map.example.json'), join(dir, 'model_endpoint_map.json'));
    const { config, warnings, sources } = await loadConfig({ argv: [], env: {}, cwd: dir, homeDir: dir });
    expect(sources.modelsFile).toBe(join(dir, 'models.json'));
    expect(config.server.port).toBe(5102);
    expect(config.models.map((model) => model.type)).toEqual(['text', 'text', 'image', 'image', 'search', 'video', 'text', 'text']);
    expect(config.endpointMap['claude-opus-4']).toHaveLength(2);
    expect(warnings.filter((warning) => warning.includes('unknown key'))).toEqual([]);
  });
});
