import { z } from 'zod';
import { readBody, sendJson } from './http-utils.js';
import type { FakeArena } from './fake-arena-types.js';
import type { RouteContext } from './route-context.js';

/** Where the account-flag admin routes live (under the loopback-only `/__fake/`). */
export const ACCOUNT_FLAGS_ADMIN_PATH = '/__fake/account-flags';

const flagSchema = z.strictObject({ userId: z.string().min(1), seconds: z.number().positive().optional() });

/**
 * `GET /__fake/account-flags` lists the flags in force; `POST` `{"userId", "seconds"?}` flags an
 * account; `DELETE /__fake/account-flags/<userId>` lifts one flag. The caller is already known to
 * be on loopback.
 */
export async function handleAccountFlagAdmin(context: RouteContext, fake: FakeArena): Promise<void> {
  const { request, response, url } = context;
  const method = request.method ?? 'GET';
  if (url.pathname === ACCOUNT_FLAGS_ADMIN_PATH && method === 'GET') return sendJson(response, 200, fake.accountFlags());
  if (url.pathname === ACCOUNT_FLAGS_ADMIN_PATH && method === 'POST') {
    const raw = await readBody(request, 64 * 1024);
    let body: unknown;
    try {
      body = JSON.parse(raw.bytes.toString('utf8'));
    } catch {
      body = undefined;
    }
    const parsed = flagSchema.safeParse(body);
    if (!parsed.success) return sendJson(response, 400, { error: z.prettifyError(parsed.error) });
    return sendJson(response, 200, fake.flagAccount(parsed.data.userId, parsed.data.seconds));
  }
  const prefix = `${ACCOUNT_FLAGS_ADMIN_PATH}/`;
  if (url.pathname.startsWith(prefix) && method === 'DELETE') {
    const userId = decodeURIComponent(url.pathname.slice(prefix.length));
    return sendJson(response, 200, { cleared: fake.clearAccountFlag(userId) });
  }
  sendJson(response, 404, { error: `No admin route ${method} ${url.pathname}` });
}
