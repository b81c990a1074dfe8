import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { ServerActionName } from '../arena/constants.js';
import { readBody, send, sendText } from './http-utils.js';
import { answerAtEdge } from './pages.js';
import type { RouteContext } from './route-context.js';
import { injectionHeader } from './route-context.js';

const argumentsSchema = z.array(z.unknown());

/** Pages that accept server actions (§8.2, §13.1 item 9). */
export function isServerActionTarget(context: RouteContext): boolean {
  const path = context.url.pathname;
  return context.request.method === 'POST' && typeof context.request.headers['next-action'] === 'string'
    && (path === '/' || path === '/text/direct' || path === '/chat' || /^\/c\/[^/]+$/.test(path));
}

/**
 * A Next.js server action call: `Next-Action: <id>` → `text/x-component` with a `0:` bookkeeping
 * row and the result in row `1:`. Unknown ids (e.g. after `rotateActionIds`) answer 404
 * "Server action not found." as Next.js does.
 */
export async function handleServerAction(context: RouteContext): Promise<void> {
  const { state, response, request } = context;
  const actionId = String(request.headers['next-action']);
  const raw = await readBody(request, 1024 * 1024);
  const injections = state.injections.take('server-action', context.url.pathname, injectionHeader(context), undefined);
  if (answerAtEdge(context, injections)) return;
  const name = (Object.keys(state.actionIds) as ServerActionName[]).find((key) => state.actionIds[key] === actionId);
  if (name === undefined) return sendText(response, 404, 'Server action not found.');
  let parsedArguments: unknown[];
  try {
    parsedArguments = argumentsSchema.parse(JSON.parse(raw.bytes.toString('utf8') || '[]'));
  } catch {
    return sendText(response, 400, 'Invalid server action arguments.');
  }
  const result = runAction(context, name, parsedArguments, injections.has('upload-url-fail'));
  const text = `0:${JSON.stringify({ a: '$@1', f: '', b: state.buildId })}\n1:${JSON.stringify(result)}\n`;
  send(response, 200, text, { 'content-type': 'text/x-component', vary: 'RSC, Next-Router-State-Tree, Next-Router-Prefetch', 'cache-control': 'no-store' });
}

const stringArgument = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

function runAction(context: RouteContext, name: ServerActionName, args: unknown[], failUpload: boolean): Record<string, unknown> {
  const { state, origin } = context;
  const lifetime = state.options.signedUrlLifetimeSeconds;
  switch (name) {
    case 'generateUploadUrl': {
      const fileName = stringArgument(args[0]);
      const contentType = stringArgument(args[1]);
      if (failUpload) return { success: false, error: 'Failed to generate upload URL' };
      if (fileName === undefined || contentType === undefined) return { success: false, error: 'File name and content type are required' };
      const key = `${randomUUID()}-${fileName.replace(/[^A-Za-z0-9._-]/g, '_')}`;
      return { success: true, data: { uploadUrl: state.objects.presign(origin, 'PUT', key, lifetime), key } };
    }
    case 'getSignedUrl': {
      const key = stringArgument(args[0]);
      if (key === undefined) return { success: false, error: 'Key is required' };
      return { success: true, data: { url: state.objects.presign(origin, 'GET', key, lifetime) } };
    }
    case 'deleteEvaluationSession': {
      const sessionId = stringArgument(args[0]);
      const auth = state.identities.resolve(context.cookies);
      const session = sessionId === undefined ? undefined : state.sessions.get(sessionId);
      if (session === undefined || auth.kind !== 'valid' || session.ownerId !== auth.user.id) {
        return { success: false, error: 'Evaluation session not found' };
      }
      state.sessions.delete(session.id);
      return { success: true };
    }
    case 'updateTouConsent': {
      const auth = state.identities.resolve(context.cookies);
      if (auth.kind !== 'valid') return { success: false, error: 'Unauthorized' };
      auth.user.touConsentTimestamp = new Date(state.now()).toISOString();
      return { success: true };
    }
  }
}
