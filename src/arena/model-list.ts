import { z } from 'zod';
import { ArenaInputError } from './arena-input-error.js';
import { decodeFlightText, jsonValuesAfterKey, resolveFlightReference } from '../shared/flight-data.js';
import { normalizeModel } from './normalize-model.js';
import type { ArenaModel, ModelCapabilities } from './types.js';

/** The placeholder React Server Components use for an absent value. */
const UNDEFINED_PLACEHOLDER = '$undefined';

/**
 * The models of a `/text/direct` (or 2025 `/?mode=direct`) page (§9.1): decodes the flight data,
 * finds `"initialModels":` and reads exactly that one JSON value. Undefined when the page has no
 * model list (`"$undefined"`, an anonymous page, a challenge page).
 */
export function extractModelsFromHtml(html: string): ArenaModel[] | undefined {
  // The raw page is a fallback for callers that pass already-decoded flight text.
  for (const text of [decodeFlightText(html), html]) {
    for (const found of jsonValuesAfterKey(text, 'initialModels')) {
      const value = resolveFlightReference(text, found);
      if (value === UNDEFINED_PLACEHOLDER || !Array.isArray(value)) continue;
      return dedupeById(value.map(normalizeModel).filter((model) => model !== undefined));
    }
  }
  return undefined;
}

const catalogSchema = z.array(
  z.object({
    arena: z.string(),
    complete: z.boolean().optional(),
    models: z.array(z.unknown()),
  }),
);

/**
 * The public model catalog (`GET /nextjs-api/model-catalog`, §9.2): one entry per model id, with
 * every arena it is listed in collected in `arenas` and capabilities merged across them. Invalid
 * model objects are skipped; a body that is not the catalog shape throws {@link ArenaInputError}.
 */
export function parseModelCatalog(json: unknown): ArenaModel[] {
  const parsed = catalogSchema.safeParse(json);
  if (!parsed.success) {
    throw new ArenaInputError('modelCatalog', 'The model catalog is not an array of {arena, models} groups; the site may have changed its format.');
  }
  const byId = new Map<string, ArenaModel>();
  for (const group of parsed.data) {
    for (const raw of group.models) {
      const model = normalizeModel(raw);
      if (model === undefined) continue;
      const known = byId.get(model.id);
      if (known === undefined) {
        byId.set(model.id, { ...model, arenas: [group.arena] });
        continue;
      }
      if (!known.arenas.includes(group.arena)) known.arenas.push(group.arena);
      known.capabilities = mergeCapabilities(known.capabilities, model.capabilities);
      known.userSelectable ||= model.userSelectable;
    }
  }
  return [...byId.values()];
}

function mergeCapabilities(first: ModelCapabilities, second: ModelCapabilities): ModelCapabilities {
  const merged = { ...first };
  for (const key of Object.keys(merged) as (keyof ModelCapabilities)[]) merged[key] = first[key] || second[key];
  return merged;
}

function dedupeById(models: ArenaModel[]): ArenaModel[] {
  const byId = new Map<string, ArenaModel>();
  for (const model of models) if (!byId.has(model.id)) byId.set(model.id, model);
  return [...byId.values()];
}
