import type { ModelCapabilities, Modality } from './types.js';

/**
 * The `modality` to send for a model (§5.4), from its output capabilities with the priority
 * image > video > search > chat (CloudWaddie's order, with video from lmarena-proxy).
 */
export function modalityOf(capabilities: ModelCapabilities): Modality {
  if (capabilities.outputImage) return 'image';
  if (capabilities.outputVideo) return 'video';
  if (capabilities.outputSearch) return 'search';
  return 'chat';
}
