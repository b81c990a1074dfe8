import { buildAnswer } from './answer.js';
import { checkRecaptcha, RECAPTCHA_FAILED } from './check-recaptcha.js';
import type { RouteContext } from './route-context.js';
import { resolveFollowUp, resolveNewSession } from './session-setup.js';
import type { FakeMessage, FakeSession } from './session-store.js';
import { evaluationBodySchema, isValidId } from './stream-bodies.js';
import type { BodyMessage } from './stream-bodies.js';
import { buildStreamPlan, failsInBand } from './stream-plan.js';
import { beginStreamCall, rejectCall, streamReply } from './stream-request.js';

/** `POST …/create-evaluation` (§5.1) and `POST …/post-to-evaluation/<id>` (§5.2). */
export async function handleEvaluation(context: RouteContext, prefix: string, sessionId: string | undefined): Promise<void> {
  const matched = sessionId === undefined ? `${prefix}/create-evaluation` : `${prefix}/post-to-evaluation/[id]`;
  const call = await beginStreamCall(context, 'POST', matched);
  if (call === undefined) return;
  const { state } = context;
  const reject = (status: number, body: unknown): void => rejectCall(context, call.entry, status, body);
  const parsed = evaluationBodySchema.safeParse(call.body);
  if (!parsed.success) return reject(400, { error: `Invalid request body: ${parsed.error.issues.map((issue) => issue.message).join('; ')}` });
  const body = parsed.data;
  const actions = call.user.isAnonymous ? ['chat_submit', 'sign_up'] : ['chat_submit'];
  if (checkRecaptcha(state, body, actions, { required: true, injections: call.injections }) !== undefined) return reject(403, RECAPTCHA_FAILED);
  if (call.injections.has('moderation')) {
    return reject(422, { error: `Request rejected: Content violates our terms of use for evaluation session id: ${sessionId ?? body.id ?? ''}` });
  }
  const session = sessionId === undefined ? undefined : state.sessions.get(sessionId);
  if (sessionId !== undefined) {
    if (session === undefined) return reject(404, { error: 'Evaluation session not found' });
    if (session.ownerId !== call.user.id || call.injections.has('wrong-owner')) {
      return reject(401, { error: `User ${call.user.id} does not have access to evaluation session ${sessionId}` });
    }
    if (body.id !== undefined && body.id !== sessionId) return reject(400, { error: 'Body id does not match the evaluation session' });
  } else if (call.injections.has('wrong-owner')) {
    return reject(401, { error: `User ${call.user.id} does not have access to evaluation session ${body.id ?? ''}` });
  }
  const setup = session === undefined ? resolveNewSession(call, body) : resolveFollowUp(call, session, body);
  if (typeof setup === 'string') return reject(400, { error: setup });
  const userEntryIndex = body.messages?.findIndex((message) => message.id === body.userMessageId && message.role === 'user') ?? -1;
  if (body.messages !== undefined && userEntryIndex === -1) return reject(400, { error: 'userMessageId must match a user entry of messages' });
  const earlier = session === undefined && body.messages !== undefined ? body.messages.slice(0, userEntryIndex) : [];
  const ids = [body.userMessageId, ...setup.sides.map((side) => side.messageId), ...earlier.flatMap((message) => (message.id === undefined ? [] : [message.id]))];
  if (session === undefined) ids.unshift(body.id ?? '');
  if (ids.some((id) => !isValidId(id, state.options.requireUuidV7, state.now()))) {
    return reject(400, { error: `Invalid id: ids must be UUID${state.options.requireUuidV7 ? 'v7' : ''}s` });
  }
  if (state.sessions.anyUsed(ids) || call.injections.has('duplicate-ids')) return reject(400, { error: 'Duplicate evaluation session or message id' });
  const gated = state.options.requireLoginForDirect && call.user.isAnonymous && state.options.directModeValues.includes(setup.mode);
  if (gated || call.injections.has('login-gate')) return reject(401, { error: 'This model requires sign in', code: 'LOGIN_GATE' });

  const userEntry = body.messages?.[userEntryIndex];
  const prompt = body.userMessage?.content ?? userEntry?.content ?? '';
  const attachments = body.userMessage?.experimental_attachments ?? userEntry?.experimental_attachments ?? [];
  const target: FakeSession = session ?? {
    id: body.id ?? '', ownerId: call.user.id, mode: setup.mode, modality: setup.modality,
    modelAId: setup.modelAId, modelBId: setup.modelBId, messages: earlier.map(toStoredMessage), createdAt: state.now(),
  };
  const history = [...target.messages];
  const lastId = history.at(-1)?.id;
  target.messages.push({
    id: body.userMessageId, role: 'user', content: prompt, participantPosition: null, modelId: null,
    attachments, parentMessageIds: lastId === undefined ? [] : [lastId], status: 'success',
  });
  const replies = buildAnswer(state, {
    sides: setup.sides, prompt, history, attachments, regenerated: false,
    sideAUnknown: call.injections.has('side-a-unknown'), origin: context.origin,
  });
  const failed = failsInBand(call.injections);
  for (const { side, reply } of replies) {
    const answering = setup.sides.find((entry) => entry.side === side);
    target.messages.push({
      id: answering?.messageId ?? '', role: 'assistant', content: failed ? '' : reply.text, participantPosition: side,
      modelId: answering?.model.id ?? null, attachments: [], parentMessageIds: [body.userMessageId], status: failed ? 'error' : 'success',
    });
  }
  if (session === undefined) state.sessions.add(target);
  else state.sessions.markUsed(ids);
  await streamReply(call, buildStreamPlan(replies, call.injections, state.options.slowGapMs));
}

function toStoredMessage(message: BodyMessage): FakeMessage {
  return {
    id: message.id ?? '', role: message.role, content: message.content,
    participantPosition: message.participantPosition ?? null, modelId: message.modelId ?? null,
    attachments: message.experimental_attachments ?? [], parentMessageIds: message.parentMessageIds ?? [], status: 'success',
  };
}
