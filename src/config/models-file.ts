import { z } from 'zod';
import type { ModelCapabilities, ModelType, ModelsFileEntry } from './bridge-config.js';
import type { ConfigProblem } from './config-error.js';
import { show } from './validate-settings.js';

const MODEL_TYPES = ['text', 'image', 'search', 'video'] as const;

const capabilitiesSchema = z.strictObject({
  inputCapabilities: z.record(z.string(), z.unknown()).optional(),
  outputCapabilities: z.record(z.string(), z.unknown()).optional(),
});

const objectEntrySchema = z.strictObject({
  id: z.string().trim().min(1).nullable().optional(),
  type: z.enum(MODEL_TYPES).optional(),
  capabilities: capabilitiesSchema.optional(),
  alias_of: z.string().trim().min(1).optional(),
});

const FORMS_HINT =
  'Use "name": "<id>", "name": "<id>:image" (also :search, :video, :text; "null:image" for no id) or ' +
  '{ "id": "<id>", "type": "text", "alias_of": "<arena publicName>" }.';

/**
 * Normalises the content of models.json: `"name": "id"`, `"name": "id:image"` (`null` as id = no
 * id), or the object form. Every bad entry is reported, not just the first.
 */
export function readModelsObject(value: unknown, source: string): { entries: ModelsFileEntry[]; problems: ConfigProblem[] } {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return {
      entries: [],
      problems: [{ source, path: '', message: 'expected an object mapping model names to ids', fix: FORMS_HINT }],
    };
  }
  const entries: ModelsFileEntry[] = [];
  const problems: ConfigProblem[] = [];
  for (const [name, entry] of Object.entries(value)) {
    if (typeof entry === 'string') {
      const parsed = parseStringForm(entry);
      if (typeof parsed === 'string') problems.push({ source, path: name, message: parsed, fix: FORMS_HINT });
      else entries.push({ name, ...parsed });
      continue;
    }
    const result = objectEntrySchema.safeParse(entry);
    if (!result.success) {
      for (const issue of result.error.issues) {
        const path = [name, ...issue.path.map(String)].join('.');
        problems.push({ source, path, message: issue.message, fix: FORMS_HINT });
      }
      continue;
    }
    const { id, type, capabilities, alias_of: aliasOf } = result.data;
    entries.push({
      name,
      id: id ?? null,
      type: type ?? typeFromCapabilities(capabilities),
      ...(capabilities === undefined ? {} : { capabilities }),
      ...(aliasOf === undefined ? {} : { aliasOf }),
    });
  }
  return { entries, problems };
}

/** `"id"`, `"id:type"` or `"null:type"`; returns a message when the text is not one of them. */
function parseStringForm(text: string): { id: string | null; type: ModelType } | string {
  const trimmed = text.trim();
  if (trimmed === '') return 'expected a model id, got ""';
  const colon = trimmed.lastIndexOf(':');
  const rawId = colon === -1 ? trimmed : trimmed.slice(0, colon);
  const suffix = colon === -1 ? 'text' : trimmed.slice(colon + 1);
  if (!(MODEL_TYPES as readonly string[]).includes(suffix)) {
    return `unknown type suffix ":${suffix}" in ${show(text)} (known: ${MODEL_TYPES.join(', ')})`;
  }
  if (rawId === '') return `missing id before ":${suffix}" in ${show(text)}`;
  return { id: rawId === 'null' ? null : rawId, type: suffix as ModelType };
}

/** Image outranks video and search, as bridges derive modality (arena-protocol.md §5.4); truthiness, not key presence (§9.3). */
function typeFromCapabilities(capabilities: ModelCapabilities | undefined): ModelType {
  const output = capabilities?.outputCapabilities;
  if (output === undefined) return 'text';
  if (isTruthy(output['image'])) return 'image';
  if (isTruthy(output['video'])) return 'video';
  if (isTruthy(output['search'])) return 'search';
  return 'text';
}

function isTruthy(value: unknown): boolean {
  return value !== undefined && value !== null && value !== false;
}
