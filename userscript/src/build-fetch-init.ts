import type { JobRequest } from '../../src/shared/worker-protocol.js';
import { JobFailure } from './job-failure.js';
import { mintRecaptchaToken, type MintContext } from './mint-recaptcha.js';

/** A job's request, ready for the page's `fetch`. */
export interface PreparedFetch {
  url: string;
  init: RequestInit;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function decodeBase64(value: string): Uint8Array<ArrayBuffer> {
  let binary: string;
  try {
    binary = atob(value);
  } catch (error) {
    throw new JobFailure('bad-request', 'The job body is not valid base64.', { cause: error });
  }
  return Uint8Array.from(binary, (character) => character.charCodeAt(0));
}

async function buildBody(request: JobRequest, context: MintContext): Promise<BodyInit | undefined> {
  const body = request.body;
  if (request.recaptcha && body?.kind !== 'json') {
    throw new JobFailure('bad-request', 'A reCAPTCHA token can only be added to a JSON body.');
  }
  if (!body) return undefined;
  if (body.kind === 'text') return body.value;
  if (body.kind === 'base64') return decodeBase64(body.value);
  let value = body.value;
  if (request.recaptcha) {
    if (!isPlainObject(value)) throw new JobFailure('bad-request', 'A reCAPTCHA token needs a JSON object body.');
    const token = await mintRecaptchaToken(request.recaptcha, context);
    value = { ...value, [request.recaptcha.field]: token };
  }
  const text = JSON.stringify(value);
  if (text === undefined) throw new JobFailure('bad-request', 'The JSON body has no value.');
  return text;
}

function resolveUrl(url: string, pageUrl: string): string {
  try {
    return new URL(url, pageUrl).href;
  } catch (error) {
    throw new JobFailure('bad-request', `Cannot resolve the job URL ${JSON.stringify(url)} against the page.`, { cause: error });
  }
}

/**
 * Turns a job request into `fetch` arguments: resolves the URL against the page, mints and inserts
 * the reCAPTCHA token for JSON bodies, decodes base64 uploads. Cookies go with same-origin requests only.
 */
export async function buildFetchInit(request: JobRequest, context: MintContext): Promise<PreparedFetch> {
  if (request.method === 'GET' && request.body) {
    throw new JobFailure('bad-request', 'A GET job cannot carry a body.');
  }
  const page = context.environment.pageLocation?.() ?? context.environment.getPageState();
  const url = resolveUrl(request.url, page.url);
  const body = await buildBody(request, context);
  const init: RequestInit = {
    method: request.method,
    headers: request.headers,
    // The site's cookies go only to the site. Presigned storage uploads are cross-origin and answer
    // `Access-Control-Allow-Origin: *`, which the browser refuses for credentialed requests.
    credentials: new URL(url).origin === page.origin ? 'include' : 'omit',
    signal: context.signal,
  };
  if (body !== undefined) init.body = body;
  return { url, init };
}
