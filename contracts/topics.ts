/** Kafka topic of a domain's events: `awp.<domain>.events` (ARCHITECTURE.md). */
export function domainTopic(domain: string): string {
  return `awp.${domain}.events`;
}
