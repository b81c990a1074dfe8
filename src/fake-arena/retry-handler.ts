import type { Side } from '../arena/types.js';
import { battleModels, buildAnswer } from './answer.js';
import { checkRecaptcha, RECAPTCHA_FAILED } from './check-recaptcha.js';
import type { RouteContext } from './route-context.js';
import type { FakeMessage } from './session-store.js';
import { retryBodySchema } from './stream-bodies.js';
import { buildStreamPlan, failsInBand } from './stream-plan.js';
import { beginStreamCall, rejectCall, streamReply } from './stream-request.js';

/**
 * `PUT …/retry-evaluation-session-message/<sid>/messages/<mid>`: Gen A `{messages, modelId}`
 * answers the supplied history without storing it (§4.2); `{}` or captcha tokens regenerate the
 * assistant message `<mid>` in place (§5.3).
 */
export async function handleRetry(context: RouteContext, prefix: string, sessionId: string, messageId: string): Promise<void> {
  const call = await beginStreamCall(context, 'PUT', `${prefix}/retry-evaluation-session-message/[sessionId]/messages/[messageId]`);
  if (call === undefined) return;
  const { state } = context;
  const reject = (status: number, body: unknown): void => rejectCall(context, call.entry, status, body);
  const parsed = retryBodySchema.safeParse(call.body);
  if (!parsed.success) return reject(400, { error: `Invalid request body: ${parsed.error.issues.map((issue) => issue.message).join('; ')}` });
  const body = parsed.data;
  const recaptcha = checkRecaptcha(state, body, ['chat_retry'], { required: state.options.requireRetryToken, injections: call.injections });
  if (recaptcha !== undefined) return reject(403, RECAPTCHA_FAILED);
  if (call.injections.has('moderation')) {
    return reject(422, { error: `Request rejected: Content violates our terms of use for evaluation session id: ${sessionId}` });
  }
  const session = state.sessions.get(sessionId);
  if (session === undefined) return reject(404, { error: 'Evaluation session not found' });
  if (session.ownerId !== call.user.id || call.injections.has('wrong-owner')) {
    return reject(401, { error: `User ${call.user.id} does not have access to evaluation session ${sessionId}` });
  }
  const target = session.messages.find((message) => message.id === messageId);
  if (target === undefined) return reject(404, { error: 'Message not found' });
  if (target.role !== 'assistant') return reject(400, { error: 'Only assistant messages can be retried' });
  if (call.injections.has('login-gate')) return reject(401, { error: 'This model requires sign in', code: 'LOGIN_GATE' });

  const pickModel = (side: Side, modelId: string | null | undefined) => {
    const fallback = side === 'b' ? session.modelBId : session.modelAId;
    const id = modelId ?? target.modelId ?? fallback;
    return state.options.models.find((model) => model.id === id) ?? (id === null ? battleModels(state.options.models)?.[side === 'a' ? 0 : 1] : undefined);
  };
  let prompt: string;
  let history: FakeMessage[];
  let side: Side;
  let attachments: FakeMessage['attachments'];
  if (body.messages !== undefined) {
    const supplied = body.messages;
    const lastUser = supplied.findLastIndex((message) => message.role === 'user');
    if (lastUser === -1) return reject(400, { error: 'messages must contain a user message' });
    const userMessage = supplied[lastUser];
    prompt = userMessage?.content ?? '';
    attachments = userMessage?.experimental_attachments ?? [];
    history = supplied.slice(0, lastUser).map((message) => ({
      id: message.id ?? '', role: message.role, content: message.content, participantPosition: message.participantPosition ?? null,
      modelId: message.modelId ?? null, attachments: message.experimental_attachments ?? [], parentMessageIds: [], status: 'success',
    }));
    side = supplied.at(-1)?.participantPosition ?? 'a';
  } else {
    const parentId = target.parentMessageIds[0];
    const userIndex = session.messages.findIndex((message) => message.id === parentId && message.role === 'user');
    const userMessage = session.messages[userIndex];
    if (userMessage === undefined) return reject(400, { error: 'The message has no user message to answer' });
    prompt = userMessage.content;
    attachments = userMessage.attachments;
    history = session.messages.slice(0, userIndex);
    side = target.participantPosition ?? 'a';
  }
  const model = pickModel(side, body.messages === undefined ? undefined : body.modelId);
  if (model === undefined) return reject(400, { error: `Invalid model id: ${body.modelId ?? 'missing'}` });
  const replies = buildAnswer(state, {
    sides: [{ side, model, messageId }], prompt, history, attachments, regenerated: true, sideAUnknown: false, origin: context.origin,
  });
  if (body.messages === undefined) {
    const failed = failsInBand(call.injections);
    target.content = failed ? '' : (replies[0]?.reply.text ?? '');
    target.status = failed ? 'error' : 'success';
  }
  await streamReply(call, buildStreamPlan(replies, call.injections, state.options.slowGapMs));
}
