import { describe, expect, it } from 'vitest';
import type { ModelListing } from './chat-types.js';
import { isBridgeError } from '../errors/index.js';
import type { ResolvedModel } from '../models/model-directory.js';
import { requireImageOutput } from './require-image-output.js';

const listing = (id: string, ...capabilities: string[]): ModelListing => ({ id, ownedBy: 'lab', capabilities });
const model = (name: string, modality: ResolvedModel['modality']): ResolvedModel => ({ name, id: `${name}-id`, modality, capabilities: undefined });

function refusal(run: () => void): { status: number; code: string; param: string | undefined; message: string } {
  try {
    run();
  } catch (error) {
    if (isBridgeError(error)) return { status: error.status, code: error.code, param: error.param, message: error.message };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('requireImageOutput', () => {
  const listings = [listing('chatty', 'text'), listing('painter', 'image'), listing('drawer', 'text', 'image', 'vision'), listing('filmer', 'video')];

  it('lets image models through', () => {
    expect(() => requireImageOutput(model('painter', 'image'), listings)).not.toThrow();
  });

  it.each(['chat', 'search', 'video'] as const)('refuses a %s model with a 400 on model naming it and the image models', (modality) => {
    expect(refusal(() => requireImageOutput(model('chatty', modality), listings))).toEqual({
      status: 400,
      code: 'invalid_request',
      param: 'model',
      message: 'Model "chatty" does not generate images, so it cannot serve an image generation. Image models the bridge knows: painter, drawer. GET /v1/models lists them with the capability "image"; for text, use /v1/chat/completions.',
    });
  });

  it('says so when it knows no image model, and shortens a long list', () => {
    expect(refusal(() => requireImageOutput(model('chatty', 'chat'), [listing('chatty', 'text')])).message).toContain('The bridge knows no image model yet');
    const many = Array.from({ length: 25 }, (_, index) => listing(`painter-${index + 1}`, 'image'));
    const message = refusal(() => requireImageOutput(model('chatty', 'chat'), many)).message;
    expect(message).toContain('painter-1, painter-2,');
    expect(message).toContain('painter-20 and 5 more.');
    expect(message).not.toContain('painter-21');
  });
});
