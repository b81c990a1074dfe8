// Builds what ships: the TypeScript sources compiled to dist/src (Node will not strip types under
// node_modules) and the in-page agent bundled to one file in dist/userscript.
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

rmSync(join(root, 'dist'), { recursive: true, force: true });
const tsc = require.resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit', cwd: root });

const agentEntry = join(root, 'userscript', 'src', 'main.ts');
if (existsSync(agentEntry)) {
  const esbuild = await import('esbuild');
  await esbuild.build({
    entryPoints: [agentEntry],
    bundle: true,
    format: 'iife',
    target: 'es2020',
    platform: 'browser',
    outfile: join(root, 'dist', 'userscript', 'agent.js'),
    legalComments: 'none',
    minify: true,
    logLevel: 'warning',
  });
}
