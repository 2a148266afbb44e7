// A real client for tests/e2e/run.sh: the official `@openrouter/sdk` package.
// usage: node openrouter_client.mjs chat|stream
// The key: $OPENROUTER_API_KEY ($KEY_MODE=none: no apiKey at all).  The SDK
// reads $OPENROUTER_BASE_URL, which `ordoctor run` sets.  Output on stderr.
import { OpenRouter } from '@openrouter/sdk';

const mode = process.argv[2] || 'chat';
const opts = process.env.KEY_MODE === 'none' ? {} : { apiKey: process.env.OPENROUTER_API_KEY ?? '' };
const client = new OpenRouter(opts);
const req = { model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'hi' }] };

try {
  if (mode === 'stream') {
    const stream = await client.chat.send({ chatRequest: { ...req, stream: true } });
    let text = '';
    for await (const chunk of stream)
      text += (chunk.choices[0] && chunk.choices[0].delta.content) || '';
    console.error('client: streamed: ' + text);
  } else {
    const r = await client.chat.send({ chatRequest: req });
    console.error('client: answer: ' + r.choices[0].message.content);
  }
} catch (e) {
  console.error('client: error: ' + (e.statusCode || e.status || '') + ' ' + String(e.message).slice(0, 200));
  process.exit(1);
}
