import { z } from 'zod';
import { ACCOUNT_FLAGS_ADMIN_PATH, handleAccountFlagAdmin } from './account-flag-admin.js';
import { accountFlagSchema } from './account-flag-options.js';
import { INJECTION_NAMES } from './injections.js';
import type { Injection } from './injections.js';
import { isLoopback, readBody, sendJson } from './http-utils.js';
import { fakeModelSchema } from './models.js';
import type { FakeArenaOptions } from './options.js';
import type { RouteContext } from './route-context.js';
import type { FakeArena } from './fake-arena-types.js';

const injectionSchema = z.object({
  name: z.string().refine((name) => INJECTION_NAMES.some((known) => name === known || name === `${known}-once`), { message: 'Unknown injection name' }),
  count: z.number().int().positive().optional(),
  path: z.string().optional(),
});

const optionsSchema = z.strictObject({
  pacing: z.object({ chunkDelayMs: z.number().min(0), recordsPerChunk: z.number().int().positive(), splitRecords: z.boolean() }).partial().optional(),
  tokenLifetimeMs: z.number().positive().optional(),
  authLifetimeSeconds: z.number().positive().optional(),
  requireLoginForDirect: z.boolean().optional(),
  challengeOnStart: z.boolean().optional(),
  challengeClearDelayMs: z.number().min(0).optional(),
  challengeInteractive: z.boolean().optional(),
  legacyRoutes: z.enum(['forbidden', 'allow']).optional(),
  directModeValues: z.array(z.string()).optional(),
  directOnCreate: z.enum(['refuse', 'allow']).optional(),
  requireUuidV7: z.boolean().optional(),
  requireRetryToken: z.boolean().optional(),
  siteKeyV3: z.string().optional(),
  siteKeyV2: z.string().optional(),
  rateLimit: z.object({ limit: z.number().int().positive(), windowSeconds: z.number().positive() }).optional(),
  accountFlag: z.union([accountFlagSchema, z.literal(false)]).optional(),
  replyWords: z.number().int().min(0).optional(),
  slowGapMs: z.number().min(0).optional(),
  retryAfterSeconds: z.number().int().min(0).optional(),
  signedUrlLifetimeSeconds: z.number().positive().optional(),
  canonicalOrigin: z.string().optional(),
});

const mintSchema = z.object({ action: z.string().optional(), version: z.enum(['v3', 'v2']).optional() });
const identitySchema = z.object({ email: z.string().optional(), expired: z.boolean().optional() });
const sessionSchema = z.object({
  owner: z.string().optional(),
  modelId: z.string().optional(),
  mode: z.string().optional(),
  turns: z.array(z.object({ user: z.string(), assistant: z.string().optional() })).optional(),
});

/**
 * The admin API under `/__fake/` (a test tool, not part of LMArena). It answers loopback callers
 * only, so a fake bound to a public interface cannot be reconfigured from outside.
 */
export async function handleAdmin(context: RouteContext, fake: FakeArena): Promise<void> {
  const { request, response, url } = context;
  if (!isLoopback(request.socket.remoteAddress)) {
    return sendJson(response, 403, { error: 'The fake-arena admin API answers loopback callers only' });
  }
  if (url.pathname === ACCOUNT_FLAGS_ADMIN_PATH || url.pathname.startsWith(`${ACCOUNT_FLAGS_ADMIN_PATH}/`)) return handleAccountFlagAdmin(context, fake);
  const route = `${request.method ?? 'GET'} ${url.pathname}`;
  const read = async (): Promise<unknown> => {
    const raw = await readBody(request, 1024 * 1024);
    try {
      return raw.bytes.length === 0 ? {} : JSON.parse(raw.bytes.toString('utf8'));
    } catch {
      return undefined;
    }
  };
  const invalid = (error: z.ZodError): void => sendJson(response, 400, { error: z.prettifyError(error) });
  switch (route) {
    case 'GET /__fake/state':
      return sendJson(response, 200, fake.state());
    case 'GET /__fake/requests':
      return sendJson(response, 200, fake.requests);
    case 'POST /__fake/reset':
      fake.reset();
      return sendJson(response, 200, { ok: true });
    case 'POST /__fake/rotate-actions':
      return sendJson(response, 200, { actionIds: fake.rotateActionIds() });
    case 'POST /__fake/inject': {
      const parsed = z.union([injectionSchema, z.array(injectionSchema)]).safeParse(await read());
      if (!parsed.success) return invalid(parsed.error);
      fake.inject(parsed.data as Injection | Injection[]);
      return sendJson(response, 200, { pending: fake.state().injections });
    }
    case 'PUT /__fake/models': {
      const parsed = z.array(fakeModelSchema).min(1).safeParse(await read());
      if (!parsed.success) return invalid(parsed.error);
      fake.setModels(parsed.data);
      return sendJson(response, 200, { models: parsed.data.length });
    }
    case 'POST /__fake/options': {
      const parsed = optionsSchema.safeParse(await read());
      if (!parsed.success) return invalid(parsed.error);
      fake.setOptions(parsed.data as Partial<FakeArenaOptions>);
      return sendJson(response, 200, { ok: true });
    }
    case 'POST /__fake/mint-token': {
      const parsed = mintSchema.safeParse(await read());
      if (!parsed.success) return invalid(parsed.error);
      return sendJson(response, 200, { token: fake.mintToken(parsed.data) });
    }
    case 'POST /__fake/identities': {
      const parsed = identitySchema.safeParse(await read());
      if (!parsed.success) return invalid(parsed.error);
      return sendJson(response, 200, fake.createIdentity(parsed.data));
    }
    case 'POST /__fake/sessions': {
      const parsed = sessionSchema.safeParse(await read());
      if (!parsed.success) return invalid(parsed.error);
      try {
        return sendJson(response, 200, fake.createSession(parsed.data));
      } catch (error) {
        return sendJson(response, 400, { error: error instanceof Error ? error.message : String(error) });
      }
    }
    default:
      return sendJson(response, 404, { error: `No admin route ${route}` });
  }
}
