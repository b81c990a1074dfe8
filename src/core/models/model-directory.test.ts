import { describe, expect, it } from 'vitest';
import type { ArenaModel, ModelCapabilities } from '../../arena/types.js';
import { createSilentLogger } from '../../observability/logger.js';
import type { ModelsFileEntry } from '../chat/chat-service-options.js';
import { closestNames, editDistance } from './closest-names.js';
import { isBridgeError } from '../errors/index.js';
import { createModelDirectory } from './model-directory.js';

const text: ModelCapabilities = {
  inputText: true, inputImage: false, inputFile: false, singleImageOnly: false,
  outputText: true, outputImage: false, outputSearch: false, outputVideo: false, outputWeb: false,
};
const model = (publicName: string, id: string, extra: Partial<ArenaModel> = {}): ArenaModel => ({
  id, publicName, organization: 'acme', capabilities: text, stealth: false, userSelectable: true, arenas: ['text'], ...extra,
});
const LIVE: ArenaModel[] = [
  model('gpt-5', 'id-gpt5'),
  model('gemini-2.5-pro', 'id-gemini', { organization: 'google', capabilities: { ...text, inputImage: true } }),
  model('nano-banana', 'id-banana', { capabilities: { ...text, outputText: false, outputImage: true } }),
  model('kiteki', 'id-stealth', { organization: undefined, stealth: true }),
];

function directory(entries: ModelsFileEntry[] = [], options: { live?: ArenaModel[]; workers?: number; showStealthModels?: boolean } = {}) {
  let fetches = 0;
  const created = createModelDirectory({
    entries,
    showStealthModels: options.showStealthModels ?? false,
    refreshMs: 60_000,
    fetchModels: async () => {
      fetches += 1;
      return options.live ?? LIVE;
    },
    workers: { size: options.workers ?? 1 },
    logger: createSilentLogger(),
    waitForListMs: 1000,
  });
  return { directory: created, fetches: () => fetches };
}

const signal = new AbortController().signal;

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('closestNames', () => {
  it('ranks by edit distance, substring matches first, at most the limit', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(closestNames('gpt5', ['gpt-5', 'gemini-2.5-pro', 'claude', 'gpt-4o'], 2)).toEqual(['gpt-5', 'gpt-4o']);
    expect(closestNames('gemini', ['gpt-5', 'gemini-2.5-pro'], 1)).toEqual(['gemini-2.5-pro']);
  });
});

describe('createModelDirectory', () => {
  it('fetches the live list on first use and resolves names with modality and id', async () => {
    const { directory: models, fetches } = directory();
    expect(await models.resolve('nano-banana', signal)).toMatchObject({ id: 'id-banana', modality: 'image' });
    expect(await models.resolve('GPT-5', signal)).toMatchObject({ id: 'id-gpt5', modality: 'chat' });
    expect(fetches()).toBe(1);
    expect(models.status()).toMatchObject({ liveModels: 4, lastError: null });
  });

  it('resolves models.json entries without a live list', async () => {
    const { directory: models, fetches } = directory([{ name: 'my-image', id: null, type: 'image' }, { name: 'x', id: 'id-x', type: 'text' }], { workers: 0 });
    expect(await models.resolve('my-image', signal)).toEqual({ name: 'my-image', id: null, modality: 'image', capabilities: undefined });
    expect(await models.resolve('x', signal)).toMatchObject({ id: 'id-x', modality: 'chat' });
    expect(fetches()).toBe(0);
  });

  it('applies aliases and id overrides from models.json', async () => {
    const { directory: models } = directory([
      { name: 'banana', id: null, type: 'text', aliasOf: 'nano-banana' },
      { name: 'gpt-5', id: 'override', type: 'text' },
    ]);
    await models.refresh();
    expect(await models.resolve('banana', signal)).toMatchObject({ id: 'id-banana', modality: 'image' });
    expect(await models.resolve('gpt-5', signal)).toMatchObject({ id: 'override' });
    const listed = models.list();
    expect(listed.find((item) => item.id === 'banana')).toEqual({ id: 'banana', ownedBy: 'acme', capabilities: ['image'] });
    expect(listed.filter((item) => item.id === 'gpt-5')).toHaveLength(1);
  });

  it('hides stealth models from the list unless asked, but resolves them by exact name', async () => {
    const { directory: models } = directory();
    await models.refresh();
    const ids = models.list().map((item) => item.id);
    expect(ids).toEqual(['gpt-5', 'gemini-2.5-pro', 'nano-banana']);
    expect(models.list().find((item) => item.id === 'gemini-2.5-pro')).toEqual({ id: 'gemini-2.5-pro', ownedBy: 'google', capabilities: ['text', 'vision'] });
    expect(await models.resolve('kiteki', signal)).toMatchObject({ id: 'id-stealth' });

    const shown = directory([], { showStealthModels: true }).directory;
    await shown.refresh();
    expect(shown.list().find((item) => item.id === 'kiteki')?.ownedBy).toBe('lmarena');
  });

  it('rejects an unknown model with up to five closest names', async () => {
    const { directory: models } = directory([{ name: 'gpt-5-mini', id: 'm', type: 'text' }]);
    const error = await rejection(models.resolve('gpt5', signal));
    expect(isBridgeError(error) && error.code).toBe('model_not_found');
    expect(error.message).toMatch(/Closest names: gpt-5, gpt-5-mini/);
    // Hidden stealth models are not suggested.
    expect(error.message).not.toContain('kiteki');
    const many = directory(Array.from({ length: 9 }, (_, index) => ({ name: `gpt-5-v${index}`, id: `v${index}`, type: 'text' as const })));
    const tooMany = await rejection(many.directory.resolve('gpt5', signal));
    expect(tooMany.message.split('Closest names: ')[1]?.split('. ')[0]?.split(', ')).toHaveLength(5);
  });

  it('keeps the old list when a refresh fails and reports the error', async () => {
    let fail = false;
    const models = createModelDirectory({
      entries: [],
      showStealthModels: false,
      refreshMs: 60_000,
      fetchModels: async () => {
        if (fail) throw new Error('catalog down');
        return LIVE;
      },
      workers: { size: 1 },
      logger: createSilentLogger(),
    });
    await models.refresh();
    fail = true;
    await models.refresh();
    expect(models.status()).toMatchObject({ liveModels: 4, lastError: 'catalog down' });
    expect(await models.resolve('gpt-5', signal)).toMatchObject({ id: 'id-gpt5' });
  });
});
