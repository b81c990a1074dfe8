import type { Side } from '../arena/types.js';
import { battleModels, modalitiesOf } from './answer.js';
import type { AnsweringSide } from './answer.js';
import type { FakeModel } from './models.js';
import type { FakeSession } from './session-store.js';
import type { EvaluationBody } from './stream-bodies.js';
import type { StreamCall } from './stream-request.js';

/** `EEvaluationModality` (§15.2); `text` is not one of them. */
const MODALITIES = ['auto', 'chat', 'webdev', 'search', 'image', 'p2l', 'video', 'audio'];
/** Modalities a text battle answers in. */
const BATTLE_MODALITIES = ['chat', 'auto', 'p2l'];
/** The live site's answer to `mode:"direct"` on create-evaluation (§15.1). */
export const DIRECT_REFUSED = "'direct' mode is not allowed when starting a new conversation";

/** Mode, models and answering sides of a request, once checked. */
export interface SessionSetup {
  mode: string;
  modality: string;
  modelAId: string | null;
  modelBId: string | null;
  sides: AnsweringSide[];
}

/** Validates mode, model fields and modality of a new session (§5.4). Returns an error text on failure. */
export function resolveNewSession(call: StreamCall, body: EvaluationBody): SessionSetup | string {
  const { options } = call.context.state;
  const mode = body.mode ?? '';
  const modality = body.modality ?? 'chat';
  if (!MODALITIES.includes(modality)) return `Invalid modality: ${modality}`;
  const find = (id: string | null | undefined): FakeModel | undefined => options.models.find((model) => model.id === id);
  const fits = (model: FakeModel): boolean => modalitiesOf(model).includes(modality);
  let models: FakeModel[];
  if (mode === 'direct' || mode === 'direct-battle') {
    if (!options.directModeValues.includes(mode)) return `Invalid mode: ${mode}`;
    if (mode === 'direct' && options.directOnCreate === 'refuse') return DIRECT_REFUSED;
    if (body.modelBId !== undefined && body.modelBId !== null) return 'modelBId is not allowed in direct mode';
    const model = find(body.modelAId);
    if (model === undefined) return `Invalid model id: ${body.modelAId ?? 'missing'}`;
    models = [model];
  } else if (mode === 'side-by-side') {
    const first = find(body.modelAId);
    const second = find(body.modelBId);
    if (first === undefined || second === undefined) return `Invalid model id: ${first === undefined ? (body.modelAId ?? 'missing') : (body.modelBId ?? 'missing')}`;
    if (!body.modelBMessageId) return 'modelBMessageId is required in side-by-side mode';
    models = [first, second];
  } else if (mode === 'battle') {
    if (body.modelAId || body.modelBId) return 'Model ids are not allowed in battle mode';
    if (!body.modelBMessageId) return 'modelBMessageId is required in battle mode';
    const pair = BATTLE_MODALITIES.includes(modality) ? battleModels(options.models) : undefined;
    if (pair === undefined) return `No battle models for modality ${modality}`;
    models = pair;
  } else {
    return `Invalid mode: ${mode || 'missing'}`;
  }
  const misfit = models.find((model) => !fits(model));
  if (misfit !== undefined) return `Invalid modality ${modality} for model ${misfit.publicName}`;
  return {
    mode, modality,
    modelAId: mode === 'battle' ? null : (models[0]?.id ?? null),
    modelBId: mode === 'side-by-side' ? (models[1]?.id ?? null) : null,
    sides: sidesFor(models, body),
  };
}

/** A follow-up keeps the session's mode, models and modality; the body needs no `mode` (§15.1). */
export function resolveFollowUp(call: StreamCall, session: FakeSession, body: EvaluationBody): SessionSetup | string {
  const { models } = call.context.state.options;
  if (body.modality !== undefined && !MODALITIES.includes(body.modality)) return `Invalid modality: ${body.modality}`;
  const twoSided = session.mode === 'battle' || session.mode === 'side-by-side';
  if (twoSided && !body.modelBMessageId) return `modelBMessageId is required in ${session.mode} mode`;
  const modelOf = (side: Side, fallback: string | null): FakeModel | undefined => {
    const answered = session.messages.findLast((message) => message.participantPosition === side && message.modelId !== null);
    const id = fallback ?? answered?.modelId;
    return models.find((model) => model.id === id);
  };
  const first = modelOf('a', session.modelAId);
  const second = twoSided ? modelOf('b', session.modelBId) : undefined;
  if (first === undefined || (twoSided && second === undefined)) return 'The model of this evaluation session is no longer available';
  const chosen = second === undefined ? [first] : [first, second];
  return { mode: session.mode, modality: session.modality, modelAId: session.modelAId, modelBId: session.modelBId, sides: sidesFor(chosen, body) };
}

function sidesFor(models: readonly FakeModel[], body: EvaluationBody): AnsweringSide[] {
  const sides: AnsweringSide[] = [];
  if (models[0] !== undefined) sides.push({ side: 'a', model: models[0], messageId: body.modelAMessageId });
  if (models[1] !== undefined) sides.push({ side: 'b', model: models[1], messageId: body.modelBMessageId ?? '' });
  return sides;
}
