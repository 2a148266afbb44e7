// A real client for tests/e2e/run.sh: the official `openai` npm package.
// usage: node openai_client.cjs chat|stream
// The key: $KEY_FILE (a JSON store such as opencode's auth.json, field
// openrouter.key) or $OPENAI_API_KEY.  $KEY_MODE: none (no credential),
// empty ("Bearer "), both (also x-api-key: $X_API_KEY).  The base URL is
// $OPENAI_BASE_URL, which `ordoctor run` sets.  Everything goes to stderr so
// that stdout stays ordoctor's.
'use strict';
const fs = require('fs');
const { OpenAI } = require('openai');

const mode = process.argv[2] || 'chat';
let key = process.env.OPENAI_API_KEY;
if (process.env.KEY_FILE)
  key = JSON.parse(fs.readFileSync(process.env.KEY_FILE, 'utf8')).openrouter.key;
const headers = {};
switch (process.env.KEY_MODE || '') {
  case 'none': headers.Authorization = null; break;
  case 'empty': headers.Authorization = 'Bearer '; break;
  case 'both': headers['x-api-key'] = process.env.X_API_KEY; break;
}
const client = new OpenAI({ apiKey: key || 'unused', maxRetries: 0, defaultHeaders: headers });

async function main() {
  const req = { model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'hi' }] };
  if (mode === 'stream') {
    const stream = await client.chat.completions.create({ ...req, stream: true });
    let text = '';
    for await (const chunk of stream)
      text += (chunk.choices[0] && chunk.choices[0].delta.content) || '';
    console.error('client: streamed: ' + text);
  } else {
    const r = await client.chat.completions.create(req);
    console.error('client: answer: ' + r.choices[0].message.content);
  }
}
main().catch((e) => { console.error('client: error: ' + (e.status || '') + ' ' + e.message); process.exit(1); });
