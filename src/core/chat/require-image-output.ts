import type { ModelListing } from './chat-types.js';
import { InvalidRequestError } from '../errors/index.js';
import type { ResolvedModel } from '../models/model-directory.js';

/** Image models named in the message at most; the rest are counted. */
const LISTED_AT_MOST = 20;

/**
 * Refuses a model that cannot answer with an image, before any worker or arena call: a 400 on
 * `model` naming it and the image models the bridge knows (capability `image` in `listings`).
 * A model generates images when the arena lists image output for it, or when models.json gives it
 * `"type": "image"`.
 */
export function requireImageOutput(model: ResolvedModel, listings: readonly ModelListing[]): void {
  if (model.modality === 'image') return;
  const imageModels = listings.filter((listing) => listing.capabilities.includes('image')).map((listing) => listing.id);
  const shown = imageModels.slice(0, LISTED_AT_MOST).join(', ');
  const more = imageModels.length > LISTED_AT_MOST ? ` and ${imageModels.length - LISTED_AT_MOST} more` : '';
  const known = imageModels.length === 0
    ? 'The bridge knows no image model yet (the live model list may not have been fetched).'
    : `Image models the bridge knows: ${shown}${more}.`;
  throw new InvalidRequestError(
    `Model "${model.name}" does not generate images, so it cannot serve an image generation. ${known} GET /v1/models lists them with the capability "image"; for text, use /v1/chat/completions.`,
    { param: 'model' },
  );
}
