import type { Side } from '../arena/types.js';
import { hasCapability } from './models.js';
import type { FakeModel } from './models.js';
import { buildReply, countWords } from './replies.js';
import type { FakeAttachment, FakeMessage } from './session-store.js';
import type { FakeArenaState } from './state.js';
import type { SideReply } from './stream-plan.js';

/** One side that answers: which model, into which assistant message. */
export interface AnsweringSide {
  side: Side;
  model: FakeModel;
  messageId: string;
}

/** The conversation being answered. */
export interface AnswerInput {
  sides: readonly AnsweringSide[];
  prompt: string;
  /** Messages before the new user message. */
  history: readonly FakeMessage[];
  attachments: readonly FakeAttachment[];
  regenerated: boolean;
  sideAUnknown: boolean;
  origin: string;
}

/** Builds each side's reply with the fake's deterministic models. */
export function buildAnswer(state: FakeArenaState, input: AnswerInput): SideReply[] {
  const turn = input.history.filter((message) => message.role === 'user').length + 1;
  const historyWords = input.history.reduce((sum, message) => sum + countWords(message.content), 0);
  return input.sides.map(({ side, model, messageId }) => ({
    side,
    reply: buildReply({
      side, model, prompt: input.prompt, turn, historyCount: input.history.length, historyWords,
      attachments: input.attachments,
      describeAttachment: (attachment) => describeAttachment(state, attachment),
      regenerated: input.regenerated, replyWords: state.options.replyWords, origin: input.origin, messageId,
      ...(side === 'a' && input.sideAUnknown && input.sides.length === 2 ? { finishReason: 'unknown' } : {}),
    }),
  }));
}

function describeAttachment(state: FakeArenaState, attachment: FakeAttachment): string {
  if (attachment.url.startsWith('data:')) return `${attachment.name} (${attachment.contentType}, inline)`;
  let key: string | undefined;
  try {
    const url = new URL(attachment.url);
    if (url.pathname.startsWith('/files/')) key = decodeURIComponent(url.pathname.slice('/files/'.length));
  } catch {
    key = undefined;
  }
  const stored = key === undefined ? undefined : state.objects.objects.get(key);
  if (stored === undefined) return `${attachment.name} (${attachment.contentType}, external)`;
  return `${attachment.name} (${stored.contentType}, ${stored.bytes.length} bytes)`;
}

/** The two models of an anonymous battle: the first two text models, deterministically. */
export function battleModels(models: readonly FakeModel[]): [FakeModel, FakeModel] | undefined {
  const text = models.filter((model) => model.behavior === 'echo' || model.behavior === 'reasoning');
  const first = text[0];
  if (first === undefined) return undefined;
  return [first, text[1] ?? first];
}

/** `auto` and `p2l` (routed chat) behave like `chat` for text models here (§15.2). */
const CHAT_MODALITIES = ['chat', 'auto', 'p2l'];

/** Modalities a model can be asked for (§5.4, §15.2); `audio` only when the model declares audio output. */
export function modalitiesOf(model: FakeModel): string[] {
  const audio = hasCapability(model, 'output', 'audio') ? ['audio'] : [];
  if (hasCapability(model, 'output', 'image')) return ['image', ...audio];
  if (hasCapability(model, 'output', 'video')) return ['video', ...audio];
  if (hasCapability(model, 'output', 'search')) return [...CHAT_MODALITIES, 'search', ...audio];
  return [...CHAT_MODALITIES, 'webdev', ...audio];
}
