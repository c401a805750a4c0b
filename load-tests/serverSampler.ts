import { residentBytes, scrapeMetrics } from './agentPlatform.js';

/** What a server process looked like while a load ran. */
export interface ServerSamples {
  peakRssBytes: number;
  /** Peak of `nodejs_heap_size_used_bytes` over the scrapes; NaN when the metric is absent. */
  peakHeapUsedBytes: number;
  /** `nodejs_eventloop_lag_p99_seconds` of each scrape, in ms (each covers the time since the previous one). */
  lagP99Ms: number[];
  /** Worst `nodejs_eventloop_lag_max_seconds` of any scrape, in ms. */
  lagMaxMs: number;
  /** How long each `/metrics` request took, in ms: how soon the server answers a new request. */
  scrapeMs: number[];
}

export interface ServerSampler {
  stop(): Promise<ServerSamples>;
}

/** A default metric by its name, under AWP's `awp_` prefix or without one. */
export function metric(samples: Map<string, number>, name: string): number {
  return samples.get(`awp_${name}`) ?? samples.get(name) ?? Number.NaN;
}

/**
 * Reads the server's RSS every `rssEveryMs` and scrapes its `/metrics` every `scrapeEveryMs`,
 * as Prometheus would. prom-client resets its event-loop delay histogram at every scrape, so
 * each scrape's p99 covers the interval since the previous one; the caller scrapes once just
 * before the load to start from a clean histogram.
 */
export function sampleServer(
  pid: number,
  url: string,
  { rssEveryMs = 100, scrapeEveryMs = 500 } = {},
): ServerSampler {
  const samples: ServerSamples = {
    peakRssBytes: 0,
    peakHeapUsedBytes: Number.NaN,
    lagP99Ms: [],
    lagMaxMs: 0,
    scrapeMs: [],
  };
  const readRss = async () => {
    const rss = await residentBytes(pid).catch(() => 0);
    samples.peakRssBytes = Math.max(samples.peakRssBytes, rss);
  };
  const scrape = async () => {
    const started = performance.now();
    const scraped = await scrapeMetrics(url).catch(() => undefined);
    if (!scraped) return;
    samples.scrapeMs.push(performance.now() - started);
    const heap = metric(scraped, 'nodejs_heap_size_used_bytes');
    // Math.max with the initial NaN would stay NaN.
    if (!(heap <= samples.peakHeapUsedBytes)) samples.peakHeapUsedBytes = heap;
    const p99 = metric(scraped, 'nodejs_eventloop_lag_p99_seconds');
    if (!Number.isNaN(p99)) samples.lagP99Ms.push(p99 * 1000);
    const max = metric(scraped, 'nodejs_eventloop_lag_max_seconds');
    if (!Number.isNaN(max)) samples.lagMaxMs = Math.max(samples.lagMaxMs, max * 1000);
  };
  // Sampling never overlaps itself: a slow scrape (the server is busy) skips a turn instead.
  let rssBusy: Promise<void> | undefined;
  let scrapeBusy: Promise<void> | undefined;
  const rssTimer = setInterval(() => {
    rssBusy ??= readRss().finally(() => (rssBusy = undefined));
  }, rssEveryMs);
  const scrapeTimer = setInterval(() => {
    scrapeBusy ??= scrape().finally(() => (scrapeBusy = undefined));
  }, scrapeEveryMs);
  return {
    async stop() {
      clearInterval(rssTimer);
      clearInterval(scrapeTimer);
      await Promise.all([rssBusy, scrapeBusy]);
      // The last interval, since the previous scrape, counts too.
      await Promise.all([readRss(), scrape()]);
      return samples;
    },
  };
}
