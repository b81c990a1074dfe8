// Sends chat requests with an oversized body from a process of its own, as a real client would:
// in the server's process the two ends share one event loop, and the client always reads the
// answer before the server's close can reset the connection.
// Usage: node oversized-body-client.mjs <baseURL> <sdk|fetch> <body bytes> <tries>
// Prints one JSON line: { "outcomes": { "<status>:<code>" or "<error>": count } }.
import OpenAI from 'openai';

const [baseURL = '', mode = 'sdk', bytes = '0', tries = '1'] = process.argv.slice(2);
const content = 'a'.repeat(Number(bytes));
const client = new OpenAI({ baseURL, apiKey: 'unused', maxRetries: 0, timeout: 20_000 });

async function viaSdk() {
  try {
    await client.chat.completions.create({ model: 'fake-model', messages: [{ role: 'user', content }] });
    return 'ok';
  } catch (error) {
    if (error instanceof OpenAI.APIError && error.status !== undefined) return `${error.status}:${error.code}`;
    return `error:${error?.cause?.cause?.code ?? error?.cause?.code ?? error?.cause?.message ?? error?.message}`;
  }
}

async function viaFetch() {
  try {
    const response = await fetch(`${baseURL}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'fake-model', messages: [{ role: 'user', content }] }),
    });
    const body = await response.json();
    return `${response.status}:${body?.error?.code}`;
  } catch (error) {
    return `error:${error?.cause?.code ?? error?.cause?.message ?? error?.message}`;
  }
}

const outcomes = {};
for (let index = 0; index < Number(tries); index += 1) {
  const outcome = mode === 'fetch' ? await viaFetch() : await viaSdk();
  outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
}
process.stdout.write(`${JSON.stringify({ outcomes })}\n`);
