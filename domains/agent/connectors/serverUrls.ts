type Json = Record<string, unknown>;

/**
 * The absolute base URLs a document's `servers` name: variables take their defaults, relative
 * URLs resolve against where the document was fetched from (an uploaded document's relative
 * servers have no base and are left out). These are where the API's operations live, so the
 * only places a workflow's plain `call: http` may go for this connector.
 */
export function serverUrls(document: Json, fetchedFrom: string | null): string[] {
  const servers = Array.isArray(document.servers) ? (document.servers as unknown[]) : [];
  const urls = new Set<string>();
  for (const entry of servers.slice(0, 20)) {
    if (entry === null || typeof entry !== 'object') continue;
    const server = entry as Json;
    if (typeof server.url !== 'string') continue;
    const variables = (server.variables ?? {}) as Record<string, { default?: unknown }>;
    const expanded = server.url.replace(/\{([^}]+)\}/g, (_, name: string) =>
      String(variables[name]?.default ?? ''),
    );
    try {
      const url = fetchedFrom ? new URL(expanded, fetchedFrom) : new URL(expanded);
      if (url.protocol === 'http:' || url.protocol === 'https:') {
        urls.add(url.href.replace(/\/+$/, ''));
      }
    } catch {
      // relative without a base, or not a URL: not a place to call
    }
  }
  return [...urls];
}
