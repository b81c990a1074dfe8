// Lint rules that keep the architecture honest: imports point down openai → core → workers →
// arena; arena and shared import nothing of the project; storage, config and observability are
// leaves; nothing imports cli; console only in cli/ and userscript/ (and the bench and build scripts).
// Every rule names folders that exist: add a folder's rule together with the folder.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * A regex matching a relative import that enters one of the given top-level src folders, or, for
 * `server`, the composition root: src/server.ts and the src/server-*.ts files beside it.
 */
function into(...names) {
  const folders = names.filter((name) => name !== 'server');
  const alternatives = folders.length > 0 ? [`(\\.{1,2}/)+(.*/)?(${folders.join('|')})(/|\\.js$)`] : [];
  if (names.includes('server')) alternatives.push('(\\.\\./)+server(-[a-z-]+)?\\.js$');
  return `^(${alternatives.join('|')})`;
}

function forbid(files, folders, message) {
  return {
    files,
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: into(...folders), message }] }],
    },
  };
}

const everything = ['arena', 'core', 'openai', 'workers', 'storage', 'config', 'observability', 'fake-arena', 'cli', 'server'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'bench/results/**'] },
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
  forbid(['src/shared/**'], everything, 'src/shared holds what the bridge and the in-page agent (userscript/) share: it imports nothing of the project.'),
  forbid(['src/workers/**'], ['core', 'openai', 'cli', 'server', 'fake-arena'], 'Workers sit below core: they import arena, shared and the leaves only.'),
  forbid(['src/core/**'], ['openai', 'cli', 'server', 'fake-arena'], 'Core sits below the HTTP surface: it never imports openai, cli or the fake.'),
  {
    // Inside core the request's life is on top: chat-service opens an exchange; the concepts below
    // (pool, accounts, models, captured ids, conversation, attachments, errors) never reach back up.
    files: ['src/core/{pool,accounts,models,captured-ids,conversation,attachments,errors}/**'],
    ignores: ['src/core/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { regex: into('openai', 'cli', 'server', 'fake-arena'), message: 'Core sits below the HTTP surface: it never imports openai, cli or the fake.' },
          { regex: '^(\\.\\./)+(exchange/|chat/chat-service\\.js$)', message: 'The exchange and the chat service sit on top of core\'s concepts; a concept does not import them.' },
        ],
      }],
    },
  },
  forbid(['src/openai/**'], ['workers', 'cli', 'server', 'fake-arena'], 'The OpenAI surface talks to core only.'),
  forbid(['src/storage/**', 'src/config/**', 'src/observability/**'], ['arena', 'core', 'openai', 'workers', 'cli', 'server', 'fake-arena'], 'storage, config and observability are leaves received through injection.'),
  forbid(['src/fake-arena/**'], ['core', 'openai', 'workers', 'storage', 'cli', 'server'], 'The fake LMArena follows arena-protocol.md, not the bridge: it shares only src/arena vocabulary.'),
  forbid(['src/*.ts'], ['cli'], 'Nothing imports cli: the CLI starts the composition root, not the other way round.'),
  forbid(['userscript/**'], everything, 'The in-page agent shares only src/shared with the bridge.'),
  {
    files: ['src/cli/**', 'userscript/**', 'bench/**', 'scripts/**'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['userscript/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
