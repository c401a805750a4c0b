import { domainTopic } from '../topics.js';
import type { AwpAgent, EventDataByType } from './generated/avroTypes.js';

export type ConnectorSource = AwpAgent.ConnectorSource;
export type MemoryScope = AwpAgent.MemoryScope;
export type MemoryKind = AwpAgent.MemoryKind;

/** Payload types come from contracts/schemas/agent/*.avsc, so they cannot drift. */
export type AgentResponseData = EventDataByType['AgentResponse'];
export type DSLGeneratedData = EventDataByType['DSLGenerated'];
export type ModelSwitchedData = EventDataByType['ModelSwitched'];
export type ConnectorImportedData = EventDataByType['ConnectorImported'];
export type ConnectorRemovedData = EventDataByType['ConnectorRemoved'];
export type AgentConfiguredData = EventDataByType['AgentConfigured'];
export type DraftApprovedData = EventDataByType['DraftApproved'];
export type MemoryRecordedData = EventDataByType['MemoryRecorded'];
export type MemoryForgottenData = EventDataByType['MemoryForgotten'];

/** Events of a connector's stream, `connector-<id>`. */
export type ConnectorEvent =
  | { type: 'ConnectorImported'; data: ConnectorImportedData }
  | { type: 'ConnectorRemoved'; data: ConnectorRemovedData };

/** Events of a conversation's drafts, stream `drafts-<conversationId>`. */
export type DraftEvent =
  | { type: 'DSLGenerated'; data: DSLGeneratedData }
  | { type: 'DraftApproved'; data: DraftApprovedData };

export const agentTopic = domainTopic('agent');
