import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { fmt, freePort, startServerProcess } from './serverProcess.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

interface Run {
  rps: number;
  p50: number;
  p99: number;
}

async function load(
  url: string,
  headers: Record<string, string>,
  seconds: number,
  rate?: number,
): Promise<Run> {
  const result = await autocannon({
    url,
    headers,
    connections: 16,
    duration: seconds,
    ...(rate ? { overallRate: rate } : {}),
  });
  const unexpected = Object.entries(result.statusCodeStats ?? {}).filter(
    ([status]) => status !== '200',
  );
  if (result.errors > 0 || unexpected.length > 0) {
    throw new Error(`${url}: ${result.errors} errors, statuses ${JSON.stringify(unexpected)}`);
  }
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

/**
 * `GET /v1/workflows/{id}` as a tenant's client sends it: a bearer JWT (RS256, verified on
 * every request against the configured issuer's key), the tenant's standing, the per-tenant
 * rate limiter (a budget large enough to admit everything) and the read model query, vs a bare
 * Koa handler returning the same JSON, and vs the "library floor" (`libraryFloorServer.js`): the
 * same libraries doing only the named work, which shows how much of the gap is theirs and how much
 * is AWP's own. All three are separate processes pinned to one core, measured in interleaved
 * rounds. Then the latency at half of AWP's measured maximum rate.
 */
export async function authenticatedGatewayBenchmark(seconds = 3, rounds = 6): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'awp-bench-auth-'));
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const issuer = 'https://idp.bench.invalid';
  const publicJwk = { ...(await exportJWK(publicKey)), kid: 'bench', alg: 'RS256', use: 'sig' };
  const token = await new SignJWT({ awp_account: 'bench-co', roles: ['viewer', 'editor'] })
    .setProtectedHeader({ alg: 'RS256', kid: 'bench' })
    .setIssuer(issuer)
    .setAudience('awp-api')
    .setSubject('bench-user')
    .setExpirationTime('2h')
    .sign(privateKey);
  const awpPort = await freePort();
  const awp = await startServerProcess(
    ['dist/infra/cli/main.js', 'start'],
    {
      AWP_PORT: String(awpPort),
      AWP_DATA_DIR: dataDir,
      AWP_LOG_LEVEL: 'info',
      AWP_OIDC_ISSUERS: JSON.stringify([
        { issuer, audience: 'awp-api', keys: { keys: [publicJwk] }, algorithms: ['RS256'] },
      ]),
      AWP_TIER_LIMITS: JSON.stringify({ free: { apiRequestsPerMinute: 100_000_000 } }),
    },
    awpPort,
    '/readyz',
  );
  const auth = { authorization: `Bearer ${token}` };
  let bare: Awaited<ReturnType<typeof startServerProcess>> | undefined;
  let floor: Awaited<ReturnType<typeof startServerProcess>> | undefined;
  try {
    const created = await fetch(`${awp.url}/v1/workflows`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        document: `document: { dsl: '1.0.3', namespace: bench, name: read-me, version: '1.0.0' }
do:
  - one: { set: { ok: true } }
`,
      }),
    });
    if (created.status !== 201)
      throw new Error(`create: ${created.status} ${await created.text()}`);
    const { workflowId } = (await created.json()) as { workflowId: string };
    const path = `/v1/workflows/${workflowId}`;
    const body = await (await fetch(`${awp.url}${path}`, { headers: auth })).text();
    const barePort = await freePort();
    bare = await startServerProcess(
      ['load-tests/bareJsonServer.js'],
      { PORT: String(barePort), BODY: body },
      barePort,
      '/',
    );
    const floorPort = await freePort();
    floor = await startServerProcess(
      ['load-tests/libraryFloorServer.js'],
      {
        PORT: String(floorPort),
        BODY: body,
        ISSUER: issuer,
        AUDIENCE: 'awp-api',
        JWKS: JSON.stringify({ keys: [publicJwk] }),
      },
      floorPort,
      '/readyz',
    );
    for (const server of [awp, floor]) {
      const unauthenticated = await fetch(`${server.url}${path}`);
      if (unauthenticated.status !== 401) throw new Error('the route must need a token');
    }

    await load(`${awp.url}${path}`, auth, 2); // warm-up (JIT, caches)
    await load(bare.url, {}, 2);
    await load(`${floor.url}${path}`, auth, 2);
    const ours: Run[] = [];
    const baseline: Run[] = [];
    const libraries: Run[] = [];
    for (let round = 0; round < rounds; round++) {
      baseline.push(await load(bare.url, {}, seconds));
      libraries.push(await load(`${floor.url}${path}`, auth, seconds));
      ours.push(await load(`${awp.url}${path}`, auth, seconds));
    }
    const ratios = ours.map((run, i) => run.rps / (baseline[i] as Run).rps);
    const floorRatios = libraries.map((run, i) => run.rps / (baseline[i] as Run).rps);
    const maxRps = median(ours.map((run) => run.rps));
    const halfRate = Math.round(maxRps / 2);
    const atHalf = await load(`${awp.url}${path}`, auth, seconds * 2, halfRate);
    const bareAtHalf = await load(bare.url, {}, seconds * 2, halfRate);

    console.log(
      `\n## Authenticated GET /v1/workflows/{id}: JWT (RS256) + tenant standing + rate limit, 16 connections, ${rounds} interleaved rounds of ${seconds}s (target ratio >= 0.6; p99 < 10 ms at 50% of max)`,
    );
    console.log(
      `baseline: bare Koa, same JSON:  ${fmt(median(baseline.map((r) => r.rps)), 0)} req/s`,
    );
    console.log(
      `library floor (same libraries, none of AWP's code): ${fmt(median(libraries.map((r) => r.rps)), 0)} req/s  median ratio ${fmt(median(floorRatios), 2)}  [${floorRatios.map((r) => fmt(r, 2)).join(', ')}]`,
    );
    console.log(
      `AWP authenticated:              ${fmt(maxRps, 0)} req/s  median ratio ${fmt(median(ratios), 2)}  [${ratios.map((r) => fmt(r, 2)).join(', ')}]`,
    );
    console.log(
      `at ${halfRate} req/s (50% of AWP's max): AWP p50 ${fmt(atHalf.p50, 2)} ms p99 ${fmt(atHalf.p99, 2)} ms; bare p50 ${fmt(bareAtHalf.p50, 2)} ms p99 ${fmt(bareAtHalf.p99, 2)} ms`,
    );
  } finally {
    await awp.stop();
    await bare?.stop();
    await floor?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
