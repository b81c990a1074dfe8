import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const packageSchema = z.object({ name: z.string(), version: z.string() });

/**
 * The version in the package's package.json, found by walking up from this module, so it works
 * from src/ (tests), from dist/ and from an installed package alike.
 */
export async function readPackageVersion(moduleUrl: string = import.meta.url): Promise<string> {
  let dir = dirname(fileURLToPath(moduleUrl));
  for (;;) {
    const text = await readFile(join(dir, 'package.json'), 'utf8').catch(() => undefined);
    if (text !== undefined) {
      const parsed = packageSchema.safeParse(JSON.parse(text));
      if (parsed.success && parsed.data.name === 'lmarena-bridge') return parsed.data.version;
    }
    const parent = dirname(dir);
    if (parent === dir) return 'unknown';
    dir = parent;
  }
}
