import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ChatRequest } from '../../core/chat/chat-types.js';
import { UpstreamError } from '../../core/errors/index.js';
import { collectAnswer } from '../collect-answer.js';
import { IGNORED_IMAGE_PARAMETERS, imageGenerationRequestSchema, type ImagesResponseWire, type ImageWire } from '../image-generation-wire.js';
import { imageToBase64 } from '../image-to-base64.js';
import type { InFlightRequests } from '../in-flight-requests.js';
import type { OpenAIDependencies } from '../openai-dependencies.js';
import { parseRequestBody } from '../parse-request-body.js';
import { warningHeaders } from '../warning-headers.js';

/**
 * `POST /v1/images/generations` (and `/images/generations`): `n` chats with the prompt as the only
 * user message, run in parallel; the images they produce are the result. When one chat fails the
 * others are cancelled and the request fails with that error.
 */
export function registerImagesRoute(app: FastifyInstance, deps: OpenAIDependencies, inFlight: InFlightRequests): void {
  const handler = async (request: FastifyRequest, reply: FastifyReply): Promise<ImagesResponseWire> => {
    const body = parseRequestBody(imageGenerationRequestSchema, request.body);
    const ignored = IGNORED_IMAGE_PARAMETERS.filter((name) => body[name] !== undefined && body[name] !== null);
    const warnings = ignored.length > 0 ? [`Ignored parameters the arena does not support: ${ignored.join(', ')}.`] : [];
    const lifetime = inFlight.begin(reply);
    const group = new AbortController();
    const signal = AbortSignal.any([lifetime.signal, group.signal]);
    try {
      const runs = Array.from({ length: body.n ?? 1 }, async (_, index) => {
        const chatRequest: ChatRequest = {
          requestId: `${request.id}.${index + 1}`,
          model: body.model,
          messages: [{ role: 'user', content: body.prompt, attachments: [] }],
          stream: false,
          requiredOutput: 'image',
        };
        return collectAnswer(await deps.chat.chat(chatRequest, signal));
      });
      const answers = await Promise.all(runs).catch((error: unknown) => {
        group.abort(error);
        throw error;
      });
      const urls = answers.flatMap((answer) => answer.images.map((image) => image.url));
      if (urls.length === 0) {
        throw new UpstreamError(`Model '${body.model}' answered without an image; use an image-generation model (see capabilities in /v1/models).`);
      }
      const data: ImageWire[] = body.response_format === 'b64_json'
        ? await Promise.all(urls.map(async (url) => ({ b64_json: await imageToBase64(url, deps.fetchImage, signal) })))
        : urls.map((url) => ({ url }));
      reply.headers(warningHeaders(warnings));
      return { created: Math.floor(Date.now() / 1000), data };
    } finally {
      lifetime.release();
    }
  };
  app.post('/v1/images/generations', handler);
  app.post('/images/generations', handler);
}
