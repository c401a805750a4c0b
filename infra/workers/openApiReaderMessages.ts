import type { ErrorCode, FieldViolation } from '../../contracts/index.js';
import type { ConnectorDocument } from '../../domains/agent/index.js';

/** What the reader thread sends its worker. */
export interface ReaderRequest {
  id: number;
  input: string | Record<string, unknown>;
  maxBytes: number;
  fetchedFrom: string | null;
}

/** The worker's answer: the document, or the error as data. */
export type ReaderReply =
  | { id: number; ok: true; document: ConnectorDocument }
  | {
      id: number;
      ok: false;
      code: ErrorCode;
      message: string;
      field?: string;
      violations?: FieldViolation[];
    };
