/** What a dry run did: its end, and every task and outbound call on the way. */
export interface SimulationTrace {
  status: string;
  output?: unknown;
  error?: unknown;
  tasks: unknown[];
  calls: Array<{ method: string; url: string; status: number; mocked: boolean }>;
  simulatedAt: string;
}
