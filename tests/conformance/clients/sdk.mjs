// One chat request through a library, with the library's OWN key lookup
// (no apiKey passed): what the conformance suite compares with
// `ordoctor tools --json`.  Where a library reads no base-URL variable, the
// base is taken from ORDOCTOR_PROXY_URL, as an application would pass its own.
// usage: node sdk.mjs openai|openrouter-sdk|ai-sdk|langchain-openai|langchain-openrouter
const which = process.argv[2];
const proxy = process.env.ORDOCTOR_PROXY_URL ? process.env.ORDOCTOR_PROXY_URL + '/api/v1' : undefined;
const model = 'openai/gpt-4o-mini';
const messages = [{ role: 'user', content: 'hi' }];

async function main() {
	switch (which) {
	case 'openai': {
		const { default: OpenAI } = await import('openai');
		const c = new OpenAI({ maxRetries: 0, timeout: 20000 }); // OPENAI_API_KEY, OPENAI_BASE_URL
		await c.chat.completions.create({ model, messages, max_tokens: 1 });
		break;
	}
	case 'openrouter-sdk': {
		const { OpenRouter } = await import('@openrouter/sdk');
		const c = new OpenRouter({}); // OPENROUTER_API_KEY, OPENROUTER_BASE_URL
		await c.chat.send({ chatRequest: { model, messages, stream: false, maxTokens: 1 } });
		break;
	}
	case 'ai-sdk': {
		const { createOpenRouter } = await import('@openrouter/ai-sdk-provider');
		const { generateText } = await import('ai');
		const p = createOpenRouter({ baseURL: proxy }); // OPENROUTER_API_KEY
		await generateText({ model: p.chat(model), prompt: 'hi', maxRetries: 0 });
		break;
	}
	case 'langchain-openai': {
		const { ChatOpenAI } = await import('@langchain/openai');
		const c = new ChatOpenAI({ model, maxRetries: 0 }); // OPENAI_API_KEY, OPENAI_BASE_URL
		await c.invoke('hi');
		break;
	}
	case 'langchain-openrouter': {
		const { ChatOpenRouter } = await import('@langchain/openrouter');
		const c = new ChatOpenRouter({ model, baseURL: proxy, maxRetries: 0 }); // OPENROUTER_API_KEY
		await c.invoke('hi');
		break;
	}
	default:
		throw new Error('unknown client ' + which);
	}
	console.log('ok');
}
main().catch((e) => {
	// the message only: an error object may carry the request headers
	console.error('client error: ' + String(e && e.message).slice(0, 200));
	process.exit(1);
});
