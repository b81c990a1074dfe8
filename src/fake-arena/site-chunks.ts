import { createHash } from 'node:crypto';
import { SERVER_ACTION_NAMES } from '../arena/constants.js';
import type { FakeArenaState } from './state.js';

/** Path (relative to `/_next/`) of the chunk holding the server references; changes with the action ids. */
export function evaluationChunkPath(state: FakeArenaState): string {
  const hash = createHash('sha256').update(Object.values(state.actionIds).join(',')).digest('hex').slice(0, 16);
  return `static/chunks/7023-${hash}.js`;
}

/** Chunk paths the pages reference, in order. */
export function pageChunkPaths(state: FakeArenaState): string[] {
  return [evaluationChunkPath(state), 'static/chunks/app/layout.js'];
}

/**
 * The JS of a chunk (§8.3): webpack-style module code with one `createServerReference` call per
 * action, plus the Supabase anon key (§2.3). The module factories never run in the fake's pages.
 */
export function renderChunk(state: FakeArenaState, path: string): string | undefined {
  if (path === 'static/chunks/app/layout.js') {
    return '(self.webpackChunk_N_E=self.webpackChunk_N_E||[]).push([[1931],{88812:(e,t,r)=>{"use strict";r.d(t,{default:()=>n});let n=()=>null}}]);\n';
  }
  if (path !== evaluationChunkPath(state)) return undefined;
  const references = SERVER_ACTION_NAMES.map(
    (name, index) => `${String.fromCharCode(97 + index)}=(0,r.createServerReference)("${state.actionIds[name]}",r.callServer,void 0,r.findSourceMapURL,"${name}")`,
  );
  return [
    '"use strict";(self.webpackChunk_N_E=self.webpackChunk_N_E||[]).push([[7023],{46071:(e,t,r)=>{',
    `r.d(t,{Evaluation:()=>s});var ${references.join(',')};`,
    `let o="https://fakearena.supabase.co",i="${state.anonKey}";`,
    'function s(){return null}',
    `let u=()=>grecaptcha.enterprise.execute("${state.options.siteKeyV3}",{action:"chat_submit"});`,
    '}}]);',
    '',
  ].join('\n');
}
