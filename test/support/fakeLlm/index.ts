export { startFakeOpenAiServer } from './fakeOpenAiServer.js';
export type { Embedder, FakeOpenAiServer, FakeOpenAiServerOptions } from './fakeOpenAiServer.js';
export { startFakeAnthropicServer } from './fakeAnthropicServer.js';
export type { FakeAnthropicServer, FakeAnthropicServerOptions } from './fakeAnthropicServer.js';
export { base64Embedding, fakeEmbedding } from './fakeEmbeddings.js';
export { tokensOf } from './replyScript.js';
export type { FakeReply, ReplyHandler, ScriptedError, ScriptedToolCall } from './replyScript.js';
export { answer, scriptedProvider } from './scriptedProvider.js';
export type { ScriptedCall, ScriptedProvider } from './scriptedProvider.js';
