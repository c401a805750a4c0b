export { createAnthropicProvider } from './anthropicProvider.js';
export type { AnthropicProviderOptions } from './anthropicProvider.js';
export { createOpenAiCompatibleProvider } from './openAiCompatibleProvider.js';
export type { OpenAiCompatibleProviderOptions } from './openAiCompatibleProvider.js';
export type { ResponseFormatMode } from './openAiRequest.js';
export { createOpenAiEmbeddings } from './openAiEmbeddings.js';
export type { OpenAiEmbeddingsOptions } from './openAiEmbeddings.js';
export { createLlmProvider, createPlatformLlm } from './providerConfig.js';
export type { PlatformLlm } from './providerConfig.js';
