/** Ids are injected so tests are deterministic; production uses UUIDv7 (time-ordered). */
export interface IdGenerator {
  newId(): string;
}
