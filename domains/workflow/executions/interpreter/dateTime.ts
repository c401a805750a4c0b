/** The spec's `dateTimeDescriptor` for an instant in epoch milliseconds. */
export function dateTimeDescriptor(epochMs: number): Record<string, unknown> {
  return {
    iso8601: new Date(epochMs).toISOString(),
    epoch: { seconds: Math.floor(epochMs / 1000), milliseconds: epochMs },
  };
}
