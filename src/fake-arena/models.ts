import { z } from 'zod';

/** How a fake model answers; see README.md for the reply of each. */
export type FakeModelBehavior = 'echo' | 'reasoning' | 'image' | 'search' | 'video' | 'vision';

const capabilityValue = z.union([z.boolean(), z.record(z.string(), z.unknown())]);

/** Schema of a fake model: the §9.3 wire object plus what the fake needs to answer. */
export const fakeModelSchema = z.object({
  id: z.string().min(1),
  publicName: z.string().min(1),
  name: z.string().optional(),
  displayName: z.string().optional(),
  organization: z.string().nullable().optional(),
  provider: z.string().nullable().optional(),
  capabilities: z.object({
    inputCapabilities: z.record(z.string(), capabilityValue),
    outputCapabilities: z.record(z.string(), capabilityValue),
  }),
  userSelectable: z.boolean().optional(),
  rank: z.number().optional(),
  /** Catalog arenas listing the model (§9.2); not part of the model object. */
  arenas: z.array(z.string()).default(['text']),
  /** Not part of the model object. */
  behavior: z.enum(['echo', 'reasoning', 'image', 'search', 'video', 'vision']).default('echo'),
  /** The finish record carries usage (not part of the model object). */
  usage: z.boolean().default(false),
});

/** A model of the fake LMArena. */
export type FakeModel = z.output<typeof fakeModelSchema>;
/** A model as accepted by `setModels` (defaults filled in). */
export type FakeModelInput = z.input<typeof fakeModelSchema>;

/** The §9.3 object as pages and the catalog show it (without the fake's own fields). */
export function toWireModel(model: FakeModel): Record<string, unknown> {
  const { arenas: _arenas, behavior: _behavior, usage: _usage, ...wire } = model;
  return wire;
}

const textOnly = { text: true, image: false, file: false };

/** The default models: one per behaviour, with realistic ids, organizations and capabilities. */
export const DEFAULT_MODELS: readonly FakeModel[] = [
  {
    id: '0199f060-4c1e-7b2a-9f3d-2a61c0e4b8d1', publicName: 'fake-echo', name: 'fake-echo-text',
    displayName: 'fake-echo', organization: 'openai', provider: 'openai',
    capabilities: { inputCapabilities: { text: true }, outputCapabilities: { text: true } },
    userSelectable: true, rank: 1, arenas: ['text', 'search'], behavior: 'echo', usage: true,
  },
  {
    id: '983bc566-b783-4d28-b24c-3c8b08eb1086', publicName: 'fake-echo-pro', name: 'fake-echo-pro-001',
    displayName: 'fake-echo-pro', organization: 'google', provider: 'googleVertex',
    capabilities: {
      inputCapabilities: textOnly,
      outputCapabilities: { text: true, image: false, search: false, video: false },
    },
    userSelectable: true, rank: 2, arenas: ['text', 'code'], behavior: 'echo', usage: false,
  },
  {
    id: '019a41a7-b8bc-743a-8c2e-5d7f1a9e3b20', publicName: 'fake-reasoner', name: 'fake-reasoner-thinking',
    displayName: 'fake-reasoner', organization: 'anthropic', provider: 'anthropic',
    capabilities: { inputCapabilities: { text: true }, outputCapabilities: { text: true } },
    userSelectable: true, rank: 3, arenas: ['text', 'code'], behavior: 'reasoning', usage: true,
  },
  {
    id: '019b2c3d-5e6f-7a81-9b2c-3d4e5f6a7b8c', publicName: 'fake-image', name: 'fake-image-gen',
    displayName: 'fake-image (preview)', organization: 'google', provider: 'fal',
    capabilities: {
      inputCapabilities: { text: true, image: true },
      outputCapabilities: { text: false, video: false, search: false, image: { aspectRatios: ['1:1'] } },
    },
    userSelectable: true, rank: 4, arenas: ['text-to-image'], behavior: 'image', usage: false,
  },
  {
    id: '6a9f2e1b-0c3d-4e5f-8a7b-1c2d3e4f5a6b', publicName: 'fake-search', name: 'fake-search-grounded',
    displayName: 'fake-search', organization: 'perplexity', provider: 'anthropicSearch',
    capabilities: { inputCapabilities: { text: true }, outputCapabilities: { text: true, search: true } },
    userSelectable: true, rank: 5, arenas: ['search'], behavior: 'search', usage: false,
  },
  {
    id: '019c0b5e-2f10-7a41-9c3e-5b1f0e8d2a77', publicName: 'fake-video', name: 'fake-video-gen',
    displayName: 'fake-video', organization: 'openai', provider: 'replicate',
    capabilities: { inputCapabilities: { text: true }, outputCapabilities: { text: false, video: true } },
    userSelectable: true, rank: 6, arenas: ['text-to-video'], behavior: 'video', usage: false,
  },
  {
    id: '019c7d11-a2b3-7c4d-8e5f-60718293a4b5', publicName: 'kiteki', name: 'kiteki-preview',
    displayName: 'fake-stealth-preview',
    capabilities: { inputCapabilities: { text: true }, outputCapabilities: { text: true } },
    userSelectable: true, rank: 7, arenas: ['text'], behavior: 'echo', usage: false,
  },
  {
    id: '019c8e22-b3c4-7d5e-9f60-718293a4b5c6', publicName: 'fake-vision', name: 'fake-vision-vl',
    displayName: 'fake-vision', organization: 'meta', provider: 'openai',
    capabilities: {
      inputCapabilities: { text: true, image: { multipleImages: false, requiresUpload: true } },
      outputCapabilities: { text: true },
    },
    userSelectable: true, rank: 8, arenas: ['text', 'document'], behavior: 'vision', usage: true,
  },
];

/** The §9.2 catalog: arena groups, the same model in several arenas. */
export function buildModelCatalog(models: readonly FakeModel[]): unknown[] {
  const arenas: string[] = [];
  for (const model of models) {
    for (const arena of model.arenas) if (!arenas.includes(arena)) arenas.push(arena);
  }
  return arenas.map((arena) => ({
    arena,
    complete: true,
    models: models.filter((model) => model.arenas.includes(arena)).map(toWireModel),
  }));
}

/** Whether a capability value is set (test truthiness, not key presence: §9.3). */
export function hasCapability(model: FakeModel, direction: 'input' | 'output', name: string): boolean {
  const group = direction === 'input' ? model.capabilities.inputCapabilities : model.capabilities.outputCapabilities;
  return Boolean(group[name]);
}
