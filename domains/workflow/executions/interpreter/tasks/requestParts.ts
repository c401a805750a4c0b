/** Pieces of an outgoing request shared by HTTP and OpenAPI calls. */

/** The URL with `query` appended (objects as JSON, null and undefined left out). */
export function withQuery(url: string, query: Record<string, unknown>): string {
  const entries = Object.entries(query).filter(
    ([, value]) => value !== undefined && value !== null,
  );
  if (entries.length === 0) return url;
  const parsed = new URL(url);
  for (const [name, value] of entries) {
    parsed.searchParams.append(
      name,
      typeof value === 'object' ? JSON.stringify(value) : String(value),
    );
  }
  return parsed.toString();
}

/** Header values as strings (objects as JSON, null and undefined left out). */
export function stringValues(value: unknown): Record<string, string> {
  const result: Record<string, string> = {};
  if (typeof value !== 'object' || value === null) return result;
  for (const [name, item] of Object.entries(value)) {
    if (item !== undefined && item !== null)
      result[name] = typeof item === 'object' ? JSON.stringify(item) : String(item);
  }
  return result;
}
