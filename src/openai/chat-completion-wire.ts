/**
 * The OpenAI chat-completions wire format: a zod schema for requests and types for responses.
 * Wire shapes keep OpenAI's snake_case; src/openai/to-chat-request.ts converts them once.
 */
import { z } from 'zod';

const textPartSchema = z.object({ type: z.literal('text'), text: z.string() });

const imageUrlPartSchema = z.object({
  type: z.literal('image_url'),
  image_url: z.union([
    z.string().min(1),
    z.object({ url: z.string().min(1), detail: z.string().nullish() }),
  ], { error: 'must be an object {url, detail?} or a URL string' }),
});

const filePartSchema = z.object({
  type: z.literal('file'),
  file: z.object({
    file_data: z.string().min(1).nullish(),
    filename: z.string().nullish(),
    file_id: z.string().nullish(),
  }),
});

const inputFilePartSchema = z.object({
  type: z.literal('input_file'),
  file_data: z.string().min(1).nullish(),
  filename: z.string().nullish(),
  file_id: z.string().nullish(),
});

/** One element of an array `content`. */
export const contentPartSchema = z.discriminatedUnion('type', [
  textPartSchema,
  imageUrlPartSchema,
  filePartSchema,
  inputFilePartSchema,
]);

/** A content part as sent on the wire. */
export type ContentPartWire = z.infer<typeof contentPartSchema>;

const contentSchema = z.union([z.string(), z.array(contentPartSchema)], {
  error: 'must be a string or an array of content parts',
});

/** Roles the bridge accepts; `tool` and `function` are parsed only to reject them clearly. */
export const messageRoleSchema = z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'function']);

const messageSchema = z.object({
  role: messageRoleSchema,
  content: contentSchema.nullish(),
  name: z.string().nullish(),
});

/** A message as sent on the wire. */
export type ChatMessageWire = z.infer<typeof messageSchema>;

/**
 * Sampling and tool parameters OpenAI clients send. The arena ignores all of them (protocol §12),
 * so they are accepted, dropped, and reported as warnings.
 */
export const IGNORED_CHAT_PARAMETERS = [
  'temperature', 'top_p', 'max_tokens', 'max_completion_tokens', 'presence_penalty',
  'frequency_penalty', 'stop', 'seed', 'logit_bias', 'logprobs', 'top_logprobs', 'user',
  'response_format', 'tools', 'tool_choice', 'parallel_tool_calls', 'functions', 'function_call',
  'reasoning_effort', 'metadata', 'store', 'modalities', 'service_tier', 'prediction', 'audio',
  'verbosity', 'web_search_options',
] as const;

/** The body of `POST /v1/chat/completions`, including the bridge's vendor extensions. */
export const chatCompletionRequestSchema = z.looseObject({
  model: z.string().min(1),
  messages: z.array(messageSchema).min(1, { error: 'must contain at least one message' }),
  stream: z.boolean().nullish(),
  stream_options: z.object({ include_usage: z.boolean().nullish() }).nullish(),
  n: z.number().int().min(1).max(1, { error: 'must be 1: the arena produces one answer per request' }).nullish(),
  /** Vendor extension: a second model for a side-by-side comparison. */
  model_b: z.string().min(1).nullish(),
  /** Vendor extension: continue a conversation the bridge returned earlier. */
  conversation_id: z.string().min(1).nullish(),
  /** Vendor extension: the `conversation` object a previous answer returned, passed back as is. */
  conversation: z.object({
    conversationId: z.string().min(1).nullish(),
    conversation_id: z.string().min(1).nullish(),
    evaluationSessionId: z.string().min(1).nullish(),
  }).nullish(),
});

/** A validated chat-completions request body. */
export type ChatCompletionRequestWire = z.infer<typeof chatCompletionRequestSchema>;

/** The vendor `conversation` object returned with answers (pass it back to continue). */
export interface ConversationWire {
  conversationId: string;
  evaluationSessionId: string;
}

/** OpenAI token usage. */
export interface UsageWire {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

/** A non-streaming `chat.completion` response body. */
export interface ChatCompletionWire {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: Array<{
    index: 0;
    message: { role: 'assistant'; content: string; reasoning_content?: string };
    finish_reason: string;
  }>;
  usage?: UsageWire;
  conversation?: ConversationWire;
}

/** One `chat.completion.chunk` of a streamed answer. */
export interface ChatCompletionChunkWire {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  choices: Array<{
    index: 0;
    delta: { role?: 'assistant'; content?: string; reasoning_content?: string };
    finish_reason: string | null;
  }>;
  usage?: UsageWire | null;
  conversation?: ConversationWire;
}
