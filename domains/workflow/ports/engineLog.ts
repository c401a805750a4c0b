/** The few log calls the engine makes; pino's logger satisfies it. */
export interface EngineLog {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export const silentLog: EngineLog = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
