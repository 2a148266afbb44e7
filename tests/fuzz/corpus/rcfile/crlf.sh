export OPENROUTER_API_KEY=sk-or-v1-abc
export OPENAI_BASE_URL="https://openrouter.ai/api/v1"
