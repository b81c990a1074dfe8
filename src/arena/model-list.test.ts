import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isArenaInputError } from './arena-input-error.js';
import { modalityOf } from './modality-of.js';
import { extractModelsFromHtml, parseModelCatalog } from './model-list.js';
import { normalizeModel } from './normalize-model.js';
import type { ArenaModel } from './types.js';

const fixture = (name: string): string => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');
const signedIn = fixture('text-direct.html');
const anonymous = fixture('anonymous-undefined.html');
const byName = (models: ArenaModel[], name: string): ArenaModel => {
  const model = models.find((candidate) => candidate.publicName === name);
  if (model === undefined) throw new Error(`no model ${name}`);
  return model;
};

describe('extractModelsFromHtml', () => {
  it('reads the initialModels array, normalised', () => {
    const models = extractModelsFromHtml(signedIn);
    expect(models?.map((model) => model.publicName)).toEqual([
      'gpt-5.2-chat',
      'gemini-2.5-flash-image-preview (nano-banana)',
      'sonar-reasoning-pro',
      'kiteki',
      'flux-explicit-false',
      'veo-3-fast',
    ]);
    const gpt = byName(models ?? [], 'gpt-5.2-chat');
    expect(gpt).toEqual({
      id: '019a9b1c-4e2f-7c3d-8a11-2b3c4d5e6f70',
      publicName: 'gpt-5.2-chat',
      name: 'gpt-5.2-chat-latest',
      displayName: 'gpt-5.2-chat',
      organization: 'openai',
      provider: 'openaiResponses',
      capabilities: {
        inputText: true, inputImage: true, inputFile: false, singleImageOnly: false,
        outputText: true, outputImage: false, outputSearch: false, outputVideo: false, outputWeb: false,
      },
      stealth: false,
      userSelectable: true,
      arenas: [],
    });
  });

  it('tests capabilities by truthiness and marks stealth and single-image models', () => {
    const models = extractModelsFromHtml(signedIn) ?? [];
    const banana = byName(models, 'gemini-2.5-flash-image-preview (nano-banana)');
    expect(banana.capabilities).toMatchObject({ inputImage: true, singleImageOnly: true, outputImage: true, outputText: false });
    expect(modalityOf(banana.capabilities)).toBe('image');
    const flux = byName(models, 'flux-explicit-false');
    expect(flux.capabilities).toMatchObject({ outputText: false, outputVideo: false, outputSearch: false, outputImage: true, inputImage: false });
    expect(modalityOf(flux.capabilities)).toBe('image');
    expect(modalityOf(byName(models, 'sonar-reasoning-pro').capabilities)).toBe('search');
    const video = byName(models, 'veo-3-fast');
    expect(modalityOf(video.capabilities)).toBe('video');
    expect(video).toMatchObject({ provider: null, userSelectable: false });
    expect(video.capabilities.inputFile).toBe(true);
    const stealth = byName(models, 'kiteki');
    expect(stealth).toMatchObject({ stealth: true, displayName: 'qwen3.5-max-preview' });
    expect(stealth).not.toHaveProperty('organization');
    expect(modalityOf(stealth.capabilities)).toBe('chat');
  });

  it('returns undefined for $undefined, pages without flight data, and challenge pages', () => {
    expect(extractModelsFromHtml(anonymous)).toBeUndefined();
    expect(extractModelsFromHtml('<html><body>nothing</body></html>')).toBeUndefined();
    expect(extractModelsFromHtml(fixture('cloudflare-challenge.html'))).toBeUndefined();
  });

  it('follows a $<row> reference to the row holding the array', () => {
    const text = '7:[{"id":"m7","publicName":"seven","organization":"acme"}]\n5:["$","$L2",null,{"initialModels":"$7"}]\n';
    const html = `<script>self.__next_f.push([1,${JSON.stringify(text)}])</script>`;
    expect(extractModelsFromHtml(html)?.map((model) => model.publicName)).toEqual(['seven']);
    expect(extractModelsFromHtml('5:{"initialModels":"$9"}')).toBeUndefined();
  });

  it('accepts already-decoded flight text and drops invalid or repeated models', () => {
    const text = '5:{"initialModels":[{"id":"m1","publicName":"one"},{"publicName":"no id"},{"id":"m1","publicName":"dup"},{"id":"m2"}]}';
    expect(extractModelsFromHtml(text)?.map((model) => model.id)).toEqual(['m1']);
  });
});

describe('modalityOf priority', () => {
  it('prefers image over video over search over chat', () => {
    const none = { inputText: true, inputImage: false, inputFile: false, singleImageOnly: false, outputText: true, outputImage: false, outputSearch: false, outputVideo: false, outputWeb: false };
    expect(modalityOf(none)).toBe('chat');
    expect(modalityOf({ ...none, outputSearch: true })).toBe('search');
    expect(modalityOf({ ...none, outputSearch: true, outputVideo: true })).toBe('video');
    expect(modalityOf({ ...none, outputSearch: true, outputVideo: true, outputImage: true })).toBe('image');
  });
});

describe('normalizeModel', () => {
  it('rejects objects without id or any name, and non-objects', () => {
    expect(normalizeModel({ publicName: 'x' })).toBeUndefined();
    expect(normalizeModel({ id: 'x' })).toBeUndefined();
    expect(normalizeModel('x')).toBeUndefined();
    expect(normalizeModel(null)).toBeUndefined();
  });

  it('treats an empty organization as stealth and tolerates odd field types', () => {
    const model = normalizeModel({ id: 'x', publicName: 'p', organization: '', userSelectable: 'yes', capabilities: { outputCapabilities: 'bad' } });
    expect(model).toMatchObject({ stealth: true, userSelectable: true });
    expect(model?.capabilities.outputText).toBe(false);
  });
});

describe('parseModelCatalog', () => {
  const models = parseModelCatalog(JSON.parse(fixture('model-catalog.json')) as unknown);

  it('merges a model listed in several arenas and collects them', () => {
    expect(models.map((model) => [model.publicName, model.arenas])).toEqual([
      ['gpt-5.2-chat', ['text', 'code']],
      ['sonar-reasoning-pro', ['text', 'search']],
      ['kiteki', ['text']],
      ['retired-model', ['text']],
      ['gemini-2.5-flash-image-preview (nano-banana)', ['text-to-image']],
      ['flux-explicit-false', ['text-to-image']],
      ['veo-3-fast', ['text-to-video']],
    ]);
    const gpt = byName(models, 'gpt-5.2-chat');
    expect(gpt.capabilities).toMatchObject({ inputImage: true, inputFile: true, outputText: true, outputWeb: true });
  });

  it('keeps userSelectable false and provider null', () => {
    expect(byName(models, 'retired-model')).toMatchObject({ userSelectable: false, provider: null, organization: 'acme' });
  });

  it('throws ArenaInputError for something that is not a catalog', () => {
    for (const bad of [{ models: [] }, [{ arena: 'text' }], 'text', null]) {
      try {
        parseModelCatalog(bad);
        throw new Error('expected a throw');
      } catch (error) {
        expect(isArenaInputError(error)).toBe(true);
      }
    }
    expect(parseModelCatalog([])).toEqual([]);
  });
});

