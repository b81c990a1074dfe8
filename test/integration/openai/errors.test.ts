import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import {
  ModelNotFoundError,
  NoWorkerAvailableError,
  RateLimitError,
  UpstreamError,
  UpstreamTimeoutError,
  type BridgeError,
} from '../../../src/core/errors/index.js';
import { scriptedAnswer, wait } from './fake-chat-service.js';
import { postRaw, useTestApp } from './start-test-app.js';

const start = useTestApp();

const hi = [{ role: 'user' as const, content: 'Hi' }];

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('errors before the answer', () => {
  const families: Array<[string, () => BridgeError, abstract new (...args: never[]) => unknown, number, string]> = [
    ['404 unknown model', () => new ModelNotFoundError("Model 'nope' is not known; see /v1/models.", { param: 'model' }), OpenAI.NotFoundError, 404, 'model_not_found'],
    ['429 rate limit', () => new RateLimitError('Rate limited; retry after 7 seconds.', { headers: { 'retry-after': '7' } }), OpenAI.RateLimitError, 429, 'rate_limited'],
    ['503 no worker', () => new NoWorkerAvailableError('No browser worker is connected; open arena.ai with the userscript.'), OpenAI.InternalServerError, 503, 'no_worker_available'],
    ['504 timeout', () => new UpstreamTimeoutError('The arena did not answer within 120 s.'), OpenAI.InternalServerError, 504, 'upstream_timeout'],
  ];
  for (const stream of [false, true]) {
    for (const [name, make, errorClass, status, code] of families) {
      it(`${name} surfaces as the SDK's typed error (stream: ${stream})`, async () => {
        const { client, fake } = await start();
        const error = make();
        fake.behaviour = async () => {
          throw error;
        };
        const thrown = await caught(client.chat.completions.create({ model: 'fake-model', messages: hi, stream }));
        expect(thrown).toBeInstanceOf(errorClass);
        const apiError = thrown as InstanceType<typeof OpenAI.APIError>;
        expect(apiError.status).toBe(status);
        expect(apiError.code).toBe(code);
        expect(apiError.type).toBe(error.type);
        expect(apiError.message).toContain(error.message);
        if (status === 429) expect(apiError.headers?.get('retry-after')).toBe('7');
        if (status === 404) expect(apiError.param).toBe('model');
      });
    }
  }

  it('400 names the field at fault for wrong types', async () => {
    const { client } = await start();
    const thrown = await caught(client.chat.completions.create({
      model: 'fake-model',
      // @ts-expect-error deliberately wrong type
      messages: [{ role: 'user', content: 'ok' }, { role: 'user', content: [{ type: 'text', text: 42 }] }],
    }));
    expect(thrown).toBeInstanceOf(OpenAI.BadRequestError);
    const apiError = thrown as InstanceType<typeof OpenAI.BadRequestError>;
    expect(apiError.param).toBe('messages[1].content[0].text');
    expect(apiError.code).toBe('invalid_request');
    expect(apiError.message).toContain('expected string');
  });

  it('400 for empty messages, tool roles and a missing model', async () => {
    const { origin } = await start();
    const url = `${origin}/v1/chat/completions`;
    const empty = await postRaw(url, JSON.stringify({ model: 'm', messages: [] }));
    expect(empty.status).toBe(400);
    expect(JSON.parse(empty.text).error).toMatchObject({ param: 'messages', code: 'invalid_request' });
    const tool = await postRaw(url, JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'x' }, { role: 'tool', content: 'r', tool_call_id: 't' }] }));
    expect(JSON.parse(tool.text).error).toMatchObject({ param: 'messages[1].role', code: 'invalid_request' });
    expect(JSON.parse(tool.text).error.message).toContain('not supported');
    const noModel = await postRaw(url, JSON.stringify({ messages: [{ role: 'user', content: 'x' }] }));
    expect(JSON.parse(noModel.text).error).toMatchObject({ param: 'model', message: "Invalid 'model': is required (expected string)." });
  });

  it('400 invalid_json for a body that is not JSON, with the OpenAI error shape', async () => {
    const { origin } = await start();
    const response = await postRaw(`${origin}/v1/chat/completions`, '{"model": "m", messages: [');
    expect(response.status).toBe(400);
    expect(JSON.parse(response.text)).toMatchInlineSnapshot(`
      {
        "error": {
          "code": "invalid_json",
          "message": "The request body is not valid JSON; check quoting and escaping.",
          "param": null,
          "type": "invalid_request_error",
        },
      }
    `);
  });

  it('400 for a body that is not sent as JSON', async () => {
    const { origin } = await start();
    const form = await postRaw(`${origin}/v1/chat/completions`, 'model=m', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(400);
    expect(JSON.parse(form.text).error).toMatchObject({ code: 'invalid_request', message: expect.stringContaining('application/json') });
    const text = await postRaw(`${origin}/v1/chat/completions`, '{"model":"m"}', { 'content-type': 'text/plain' });
    expect(text.status).toBe(400);
    expect(JSON.parse(text.text).error.message).toContain('must be a JSON object');
  });

  it('a failure while collecting a non-streaming answer is a plain HTTP error', async () => {
    const { client, fake } = await start();
    fake.answerWith([[{ type: 'text-delta', text: 'partial' }], { error: new UpstreamError('The worker disconnected.', { code: 'worker_lost' }) }]);
    const thrown = await caught(client.chat.completions.create({ model: 'fake-model', messages: hi }));
    expect(thrown).toBeInstanceOf(OpenAI.InternalServerError);
    expect((thrown as InstanceType<typeof OpenAI.APIError>).status).toBe(502);
    expect((thrown as InstanceType<typeof OpenAI.APIError>).code).toBe('worker_lost');
  });

  it('404 route_not_found names the method and path', async () => {
    const { origin } = await start();
    const response = await fetch(`${origin}/v1/nothing?x=1`);
    expect(response.status).toBe(404);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('route_not_found');
    expect(body.error.message).toContain('GET /v1/nothing');
  });

  it('500 internal_error hides the details of unexpected failures', async () => {
    const { client, fake } = await start();
    fake.behaviour = async () => {
      throw new TypeError('secret internal detail');
    };
    const thrown = await caught(client.chat.completions.create({ model: 'fake-model', messages: hi }));
    expect(thrown).toBeInstanceOf(OpenAI.InternalServerError);
    expect((thrown as InstanceType<typeof OpenAI.APIError>).code).toBe('internal_error');
    expect((thrown as Error).message).not.toContain('secret');
  });
});

describe('errors during a stream', () => {
  it('a mid-stream failure becomes an error event the SDK iterator raises, then [DONE]', async () => {
    const { client, fake, origin } = await start();
    fake.answerWith([[{ type: 'text-delta', text: 'partial' }], { error: new UpstreamError('The arena stream broke off.', { code: 'upstream_stream_error' }) }]);
    const stream = await client.chat.completions.create({ model: 'fake-model', messages: hi, stream: true });
    const seen: string[] = [];
    const thrown = await caught((async () => {
      for await (const chunk of stream) seen.push(chunk.choices[0]?.delta.content ?? '');
    })());
    expect(thrown).toBeInstanceOf(OpenAI.APIError);
    expect((thrown as InstanceType<typeof OpenAI.APIError>).code).toBe('upstream_stream_error');
    expect(seen.join('')).toBe('partial');

    const raw = await postRaw(`${origin}/v1/chat/completions`, JSON.stringify({ model: 'fake-model', messages: hi, stream: true }));
    const events = raw.text.trim().split('\n\n');
    expect(events.slice(-2)).toEqual([
      'data: {"error":{"message":"The arena stream broke off.","type":"upstream_error","param":null,"code":"upstream_stream_error"}}',
      'data: [DONE]',
    ]);
    expect(raw.text).not.toContain('"content":"The arena');
  });

  it('a failure after the header grace period is sent in-stream after pings', async () => {
    const { origin, fake } = await start({ headersGraceMs: 30, pingIntervalMs: 10 });
    fake.behaviour = async (_request, signal) => {
      await wait(120, signal);
      throw new NoWorkerAvailableError('No browser worker is connected.');
    };
    const raw = await postRaw(`${origin}/v1/chat/completions`, JSON.stringify({ model: 'fake-model', messages: hi, stream: true }));
    expect(raw.status).toBe(200);
    expect(raw.text.startsWith(': ping\n\n')).toBe(true);
    expect(raw.text).toContain('data: {"error":{"message":"No browser worker is connected.","type":"service_unavailable","param":null,"code":"no_worker_available"}}\n\ndata: [DONE]\n\n');
  });

  it('a slow but successful start still streams normally after the grace period', async () => {
    const { client, fake } = await start({ headersGraceMs: 20, pingIntervalMs: 10 });
    fake.behaviour = async (_request, signal) => {
      await wait(80, signal);
      return scriptedAnswer([[{ type: 'text-delta', text: 'late' }], [{ type: 'finish', finishReason: 'stop' }]], signal).answer;
    };
    let text = '';
    for await (const chunk of await client.chat.completions.create({ model: 'fake-model', messages: hi, stream: true })) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('late');
  });
});
