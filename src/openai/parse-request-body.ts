import type { z } from 'zod';
import { InvalidRequestError } from '../core/errors/index.js';

type Issue = z.core.$ZodIssue;

/** Formats a zod path as OpenAI's `param`, e.g. `messages[2].content`. */
export function formatParamPath(path: readonly PropertyKey[]): string {
  let result = '';
  for (const segment of path) {
    if (typeof segment === 'number') result += `[${segment}]`;
    else result += result === '' ? String(segment) : `.${String(segment)}`;
  }
  return result;
}

/**
 * A union failure lists one issue set per branch. The branch whose first issue lies deepest is the
 * one the client meant (an array whose third part is wrong), so report that one; when every branch
 * failed at the top, the union's own message says what was expected.
 */
function mostSpecific(issue: Issue): { path: PropertyKey[]; issue: Issue } {
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    let best: Issue | undefined;
    for (const branch of issue.errors) {
      const first = branch[0];
      if (first !== undefined && first.path.length > 0 && (best === undefined || first.path.length > best.path.length)) best = first;
    }
    if (best !== undefined) {
      const inner = mostSpecific(best);
      return { path: [...issue.path, ...inner.path], issue: inner.issue };
    }
  }
  return { path: [...issue.path], issue };
}

function describe(issue: Issue, received: unknown): string {
  if (issue.code === 'invalid_union' && 'discriminator' in issue && issue.discriminator !== undefined) {
    return `has an unsupported type ${JSON.stringify(received)}; ${issue.message.replace(/^Invalid discriminator value\. /, '')}`;
  }
  if (issue.code === 'invalid_type' && received === undefined) return `is required (expected ${issue.expected})`;
  if (issue.code === 'unrecognized_keys') return `has unknown fields: ${issue.keys.join(', ')}`;
  return issue.message.replace(/^Invalid input: /, '').replace(/^Invalid input$/, 'is invalid');
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current = root;
  for (const segment of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

/**
 * Validates an HTTP body with a zod schema. Throws an InvalidRequestError naming the first field
 * at fault in `param` and saying what is wrong with it.
 */
export function parseRequestBody<Schema extends z.ZodType>(schema: Schema, body: unknown): z.infer<Schema> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InvalidRequestError('The request body must be a JSON object; send it with Content-Type: application/json.');
  }
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const first = result.error.issues[0];
  if (first === undefined) throw new InvalidRequestError('The request body is invalid.');
  const { path, issue } = mostSpecific(first);
  const param = formatParamPath(path);
  const detail = describe(issue, valueAt(body, path));
  const message = param === '' ? `The request body ${detail}.` : `Invalid '${param}': ${detail}.`;
  throw new InvalidRequestError(message, param === '' ? {} : { param });
}
