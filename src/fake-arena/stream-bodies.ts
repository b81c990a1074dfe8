import { z } from 'zod';

const attachmentSchema = z.object({ name: z.string(), contentType: z.string(), url: z.string() });

/** A `messages[]` entry of the B-messages and Gen A bodies (§4.2, §5.1). */
export const bodyMessageSchema = z.looseObject({
  id: z.string().optional(),
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string(),
  experimental_attachments: z.array(attachmentSchema).optional(),
  parentMessageIds: z.array(z.string()).optional(),
  participantPosition: z.enum(['a', 'b']).nullish(),
  modelId: z.string().nullish(),
  status: z.string().nullish(),
});

/** create-evaluation and post-to-evaluation bodies: both variants of §5.1 and §5.2. */
export const evaluationBodySchema = z
  .looseObject({
    id: z.string().optional(),
    mode: z.string().optional(),
    modelAId: z.string().nullish(),
    modelBId: z.string().nullish(),
    userMessageId: z.string(),
    modelAMessageId: z.string(),
    modelBMessageId: z.string().nullish(),
    userMessage: z
      .looseObject({
        content: z.string(),
        experimental_attachments: z.array(attachmentSchema).optional(),
        metadata: z.unknown().optional(),
      })
      .optional(),
    messages: z.array(bodyMessageSchema).optional(),
    modality: z.string().optional(),
    recaptchaV3Token: z.string().optional(),
    recaptchaV2Token: z.string().optional(),
  })
  .refine((body) => (body.userMessage === undefined) !== (body.messages === undefined), {
    message: 'Exactly one of userMessage and messages is required',
  });

/** The retry body: Gen A `{messages, modelId}`, `{}`, or captcha tokens only (§4.2, §5.3). */
export const retryBodySchema = z.looseObject({
  messages: z.array(bodyMessageSchema).min(1).optional(),
  modelId: z.string().nullish(),
  recaptchaV3Token: z.string().optional(),
  recaptchaV2Token: z.string().optional(),
});

export type EvaluationBody = z.infer<typeof evaluationBodySchema>;
export type RetryBody = z.infer<typeof retryBodySchema>;
export type BodyMessage = z.infer<typeof bodyMessageSchema>;

/** The newest user text of any body shape, read leniently (for magic words before validation). */
export function promptOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as Record<string, unknown>;
  const userMessage = record.userMessage as Record<string, unknown> | undefined;
  if (typeof userMessage?.content === 'string') return userMessage.content;
  if (Array.isArray(record.messages)) {
    const users = record.messages.filter(
      (entry): entry is Record<string, unknown> => typeof entry === 'object' && entry !== null && (entry as Record<string, unknown>).role === 'user',
    );
    const wanted = users.find((entry) => entry.id !== undefined && entry.id === record.userMessageId) ?? users.at(-1);
    if (typeof wanted?.content === 'string') return wanted.content;
  }
  return undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const DAY_MS = 24 * 3600 * 1000;

/** Whether an id is a UUID — and, when required, a v7 whose timestamp is within a day of now (§2.5). */
export function isValidId(id: string, requireV7: boolean, now: number): boolean {
  if (!UUID.test(id)) return false;
  if (!requireV7) return true;
  if (id[14] !== '7') return false;
  const timestamp = Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
  return Math.abs(now - timestamp) <= DAY_MS;
}
