// Lint rules that keep the architecture honest (../shared/architecture.md): imports point down
// openai → core → workers → arena; arena and shared import nothing of the project; storage, config
// and observability are leaves; nothing imports cli; console only in cli/ and userscript/.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** A regex matching a relative import that enters one of the given top-level src folders. */
function into(...folders) {
  return `^(\\.{1,2}/)+(.*/)?(${folders.join('|')})(/|\\.js$)`;
}

function forbid(files, folders, message) {
  return {
    files,
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: into(...folders), message }] }],
    },
  };
}

const everything = ['arena', 'core', 'openai', 'workers', 'storage', 'config', 'observability', 'fake-arena', 'cli', 'client', 'server'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'webui/**', 'coverage/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      'no-console': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  forbid(['src/arena/**'], everything.filter((f) => f !== 'arena'), 'src/arena is pure protocol code: it imports only src/shared.'),
  {
    files: ['src/arena/**'],
    ignores: ['src/arena/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { regex: into(...everything.filter((f) => f !== 'arena')), message: 'src/arena is pure protocol code: it imports only src/shared.' },
          { regex: '^node:(fs|http|https|net|tls|child_process|dgram|dns|worker_threads)', message: 'src/arena does no I/O.' },
        ],
      }],
    },
  },
  forbid(['src/shared/**'], everything, 'src/shared holds wire types shared with the userscript and web UI: it imports nothing of the project.'),
  forbid(['src/workers/**'], ['core', 'openai', 'cli', 'server', 'fake-arena', 'client'], 'Workers sit below core: they import arena, shared and the leaves only.'),
  forbid(['src/core/**'], ['openai', 'cli', 'server', 'fake-arena', 'client'], 'Core sits below the HTTP surface: it never imports openai, cli or the fake.'),
  forbid(['src/openai/**'], ['workers', 'cli', 'server', 'fake-arena', 'client'], 'The OpenAI surface talks to core only.'),
  forbid(['src/storage/**', 'src/config/**', 'src/observability/**'], ['arena', 'core', 'openai', 'workers', 'cli', 'server', 'fake-arena', 'client'], 'storage, config and observability are leaves received through injection.'),
  forbid(['src/fake-arena/**'], ['core', 'openai', 'workers', 'storage', 'cli', 'server', 'client'], 'The fake LMArena follows arena-protocol.md, not the bridge: it shares only src/arena vocabulary.'),
  forbid(['src/client/**'], ['arena', 'core', 'openai', 'workers', 'storage', 'config', 'observability', 'cli', 'server', 'fake-arena'], 'The client library speaks HTTP to the bridge and depends on nothing inside it.'),
  forbid(['userscript/**'], ['arena', 'core', 'openai', 'workers', 'storage', 'config', 'observability', 'cli', 'server', 'fake-arena', 'client'], 'The in-page agent shares only src/shared with the bridge.'),
  {
    files: ['src/cli/**', 'userscript/**', 'bench/**', 'scripts/**'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['userscript/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
