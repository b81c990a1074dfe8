import { z } from 'zod';
import type { EndpointMapping } from './bridge-config.js';
import { closestKey } from './closest-key.js';
import type { ConfigProblem } from './config-error.js';

const MAPPING_KEYS = ['session_id', 'message_id', 'mode', 'battle_target'] as const;

const mappingSchema = z.object({
  session_id: z.string().trim().min(1, 'session_id must be a non-empty captured session id'),
  message_id: z.string().trim().min(1, 'message_id must be a non-empty captured message id'),
  mode: z.enum(['direct_chat', 'battle']).optional(),
  battle_target: z.preprocess((value) => (typeof value === 'string' ? value.toUpperCase() : value), z.enum(['A', 'B'])).optional(),
});

const FIX = 'Give each model { "session_id": "…", "message_id": "…", "mode"?: "direct_chat" | "battle", "battle_target"?: "A" | "B" } or a list of them.';

/** What model_endpoint_map.json contributed. */
export interface EndpointMapResult {
  endpointMap: Record<string, EndpointMapping[]>;
  problems: ConfigProblem[];
  warnings: string[];
}

/**
 * Normalises model_endpoint_map.json: per model one mapping or a list (pool) of them. A single
 * mapping becomes a pool of one, so users of the result handle one shape.
 */
export function readEndpointMapObject(value: unknown, source: string): EndpointMapResult {
  const endpointMap: Record<string, EndpointMapping[]> = {};
  const problems: ConfigProblem[] = [];
  const warnings: string[] = [];
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    problems.push({ source, path: '', message: 'expected an object mapping model names to captured ids', fix: FIX });
    return { endpointMap, problems, warnings };
  }
  for (const [model, entry] of Object.entries(value)) {
    const list: unknown[] = Array.isArray(entry) ? entry : [entry];
    if (list.length === 0) {
      problems.push({ source, path: model, message: 'the pool is empty', fix: 'Add at least one mapping or remove the model.' });
      continue;
    }
    const pool: EndpointMapping[] = [];
    list.forEach((item, index) => {
      const path = Array.isArray(entry) ? `${model}[${index}]` : model;
      const mapping = readMapping(item, path, source, problems, warnings);
      if (mapping !== undefined) pool.push(mapping);
    });
    endpointMap[model] = pool;
  }
  return { endpointMap, problems, warnings };
}

function readMapping(
  item: unknown,
  path: string,
  source: string,
  problems: ConfigProblem[],
  warnings: string[],
): EndpointMapping | undefined {
  if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
    for (const key of Object.keys(item)) {
      if ((MAPPING_KEYS as readonly string[]).includes(key)) continue;
      const suggestion = closestKey(key, MAPPING_KEYS);
      warnings.push(`${source}: ${path}: unknown key "${key}" is ignored${suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`}.`);
    }
  }
  const result = mappingSchema.safeParse(item);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const suffix = issue.path.map((segment) => `.${String(segment)}`).join('');
      problems.push({ source, path: `${path}${suffix}`, message: issue.message, fix: FIX });
    }
    return undefined;
  }
  const { session_id: sessionId, message_id: messageId, mode, battle_target: battleTarget } = result.data;
  return {
    sessionId,
    messageId,
    ...(mode === undefined ? {} : { mode }),
    ...(battleTarget === undefined ? {} : { battleTarget }),
  };
}
