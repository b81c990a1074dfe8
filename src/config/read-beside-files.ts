import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { EndpointMapping, ModelsFileEntry } from './bridge-config.js';
import type { ConfigProblem } from './config-error.js';
import { readEndpointMapObject } from './endpoint-map-file.js';
import { readModelsObject } from './models-file.js';
import { readJsoncFile } from './read-jsonc-file.js';

/** Model names → arena ids, read beside the config file. */
export const MODELS_FILE_NAME = 'models.json';
/** Model names → captured session/message ids, read beside the config file. */
export const ENDPOINT_MAP_FILE_NAME = 'model_endpoint_map.json';

/** What models.json and model_endpoint_map.json contributed. */
export interface BesideFiles {
  models: ModelsFileEntry[];
  endpointMap: Record<string, EndpointMapping[]>;
  modelsFile: string | undefined;
  endpointMapFile: string | undefined;
  problems: ConfigProblem[];
  warnings: string[];
}

/** Reads models.json and model_endpoint_map.json from the first of `dirs` that holds each. */
export async function readBesideFiles(dirs: readonly string[], display: (path: string) => string): Promise<BesideFiles> {
  const result: BesideFiles = { models: [], endpointMap: {}, modelsFile: undefined, endpointMapFile: undefined, problems: [], warnings: [] };
  result.modelsFile = await firstExisting(dirs.map((dir) => join(dir, MODELS_FILE_NAME)));
  if (result.modelsFile !== undefined) {
    const parsed = await readJsoncFile(result.modelsFile, display(result.modelsFile));
    const models = parsed.ok ? readModelsObject(parsed.value, display(result.modelsFile)) : { entries: [], problems: parsed.problems };
    result.problems.push(...models.problems);
    result.models = models.entries;
  }
  result.endpointMapFile = await firstExisting(dirs.map((dir) => join(dir, ENDPOINT_MAP_FILE_NAME)));
  if (result.endpointMapFile !== undefined) {
    const parsed = await readJsoncFile(result.endpointMapFile, display(result.endpointMapFile));
    const map = parsed.ok
      ? readEndpointMapObject(parsed.value, display(result.endpointMapFile))
      : { endpointMap: {}, problems: parsed.problems, warnings: [] };
    result.problems.push(...map.problems);
    result.warnings.push(...map.warnings);
    result.endpointMap = map.endpointMap;
  }
  return result;
}

/** The first path that is an existing regular file. */
export async function firstExisting(paths: readonly string[]): Promise<string | undefined> {
  for (const path of paths) if (await isFile(path)) return path;
  return undefined;
}

/** True when `path` is an existing regular file. */
export async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
