import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { freePort, repoRoot, startServerProcess } from './serverProcess.js';

/** The fake OpenAI server's streamed reply: see `fakeOpenAiProcess.ts`. */
export interface FakeScript {
  tokens: number;
  firstTokenMs?: number;
  tokenDelayMs?: number;
  /** The document of the `propose_workflow` call answering a request that offers tools. */
  proposal?: string;
  /** The document of the answer to a repair request. */
  repair?: string;
}

export interface FakeOpenAiProcess {
  /** `http://127.0.0.1:<port>/v1` */
  baseUrl: string;
  apiKey: string;
  stop(): Promise<void>;
}

/**
 * Starts the fake on CPU 1, beside the load generator rather than beside AWP (CPU 0): the
 * platform's event loop lag and time to first token are what is measured, so nothing else
 * may take its core.
 */
export async function startFakeOpenAiProcess(script: FakeScript): Promise<FakeOpenAiProcess> {
  const child = spawn(
    'taskset',
    ['-c', '1', process.execPath, '--import', 'tsx', 'load-tests/fakeOpenAiProcess.ts'],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        FAKE_TOKENS: String(script.tokens),
        FAKE_FIRST_TOKEN_MS: String(script.firstTokenMs ?? 0),
        FAKE_TOKEN_DELAY_MS: String(script.tokenDelayMs ?? 0),
        ...(script.proposal !== undefined ? { FAKE_PROPOSAL: script.proposal } : {}),
        ...(script.repair !== undefined ? { FAKE_REPAIR: script.repair } : {}),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const exited = once(child, 'exit');
  const lines = createInterface({ input: child.stdout! });
  const [line] = (await Promise.race([
    once(lines, 'line'),
    exited.then(() => {
      throw new Error('the fake OpenAI process exited before listening');
    }),
  ])) as [string];
  lines.close();
  const { baseUrl, apiKey } = JSON.parse(line) as { baseUrl: string; apiKey: string };
  return {
    baseUrl,
    apiKey,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export interface AgentPlatform {
  url: string;
  /** A bearer JWT for an editor of account `bench-co`, signed by an issuer AWP trusts. */
  token: string;
  /** The server process's id, for its RSS in /proc. */
  pid: number;
  stop(): Promise<void>;
}

/**
 * An issuer the benchmark's AWP processes trust (as `env`), and a bearer JWT it signed for an
 * editor of account `bench-co`; with a tier budget no benchmark reaches.
 */
export async function benchIdentity(): Promise<{ token: string; env: Record<string, string> }> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const issuer = 'https://idp.bench.invalid';
  const publicJwk = { ...(await exportJWK(publicKey)), kid: 'bench', alg: 'RS256', use: 'sig' };
  const token = await new SignJWT({ awp_account: 'bench-co', roles: ['editor'] })
    .setProtectedHeader({ alg: 'RS256', kid: 'bench' })
    .setIssuer(issuer)
    .setAudience('awp-api')
    .setSubject('bench-user')
    .setExpirationTime('2h')
    .sign(privateKey);
  return {
    token,
    env: {
      AWP_OIDC_ISSUERS: JSON.stringify([
        { issuer, audience: 'awp-api', keys: { keys: [publicJwk] }, algorithms: ['RS256'] },
      ]),
      AWP_TIER_LIMITS: JSON.stringify({
        free: { apiRequestsPerMinute: 100_000_000, llmTokensPerMonth: 100_000_000_000 },
      }),
    },
  };
}

/** The platform model: the fake. */
export function modelEnv(fake: FakeOpenAiProcess): Record<string, string> {
  return {
    AWP_LLM_PROVIDER: 'openai',
    AWP_LLM_BASE_URL: fake.baseUrl,
    AWP_LLM_API_KEY: fake.apiKey,
    AWP_LLM_MODEL: 'fake-model',
  };
}

/**
 * The built AWP (`awp start`, embedded profile) answering conversations with the fake model,
 * on CPU 0, with a tier budget no benchmark reaches; `env` adds to its environment.
 */
export async function startAgentPlatform(
  fake: FakeOpenAiProcess,
  env: Record<string, string> = {},
): Promise<AgentPlatform> {
  // The platform writes its key files beside the data directory: both go in one temporary root.
  const root = await mkdtemp(join(tmpdir(), 'awp-bench-agent-'));
  const dataDir = join(root, 'data');
  const identity = await benchIdentity();
  const port = await freePort();
  const server = await startServerProcess(
    ['dist/infra/cli/main.js', 'start'],
    {
      AWP_PORT: String(port),
      AWP_DATA_DIR: dataDir,
      AWP_LOG_LEVEL: 'info',
      ...identity.env,
      ...modelEnv(fake),
      ...env,
    },
    port,
    '/readyz',
  );
  const pid = await childPidRunning('dist/infra/cli/main.js');
  return {
    url: server.url,
    token: identity.token,
    pid,
    async stop() {
      await server.stop();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/**
 * The pid of this process's child whose command line contains `script` (`taskset` execs
 * node, so the server is our direct child). Found in /proc because `startServerProcess`,
 * shared with the other benchmarks, does not hand out its child.
 */
async function childPidRunning(script: string): Promise<number> {
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // Field 4 is the parent pid; the command name (field 2) may contain spaces, hence after ')'.
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (parent !== process.pid) continue;
    const command = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (command.includes(script)) return Number(entry);
  }
  throw new Error(`no child process runs ${script}`);
}

/** Resident set size of a process, in bytes (`VmRSS` of /proc/<pid>/status). */
export async function residentBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  if (kib === undefined) throw new Error(`no VmRSS for process ${pid}`);
  return Number(kib) * 1024;
}

/** CPU time a process has used so far (user + system), in seconds, from /proc/<pid>/stat. */
export async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // After the command name: state is field 3, utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Clock ticks of 1/100 s: USER_HZ is 100 on every Linux this runs on.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** The unlabelled samples of the server's Prometheus metrics, by name. */
export async function scrapeMetrics(url: string): Promise<Map<string, number>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*) (\S+)$/.exec(line);
    if (match) samples.set(match[1] as string, Number(match[2]));
  }
  return samples;
}

/** Starts a conversation with the default agent and returns its id. */
export async function startConversation(url: string, token: string): Promise<string> {
  const response = await fetch(`${url}/v1/conversations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'bench' }),
  });
  if (response.status !== 201) {
    throw new Error(`POST /v1/conversations: ${response.status} ${await response.text()}`);
  }
  return ((await response.json()) as { conversationId: string }).conversationId;
}
