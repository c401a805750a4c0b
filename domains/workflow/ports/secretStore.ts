/** The tenant's secrets, read when an execution starts; values never leave the engine. */
export interface SecretStore {
  /** The named secrets that exist; a missing name is simply absent from the result. */
  read(accountId: string, names: readonly string[]): Promise<Record<string, unknown>>;
}
