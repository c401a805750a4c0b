import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCli } from './awp.js';

/** Only the paths that end before a server starts: those are the CLI's own behaviour. */
describe('awp command line', () => {
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const printed = () =>
    [...stdout.mock.calls, ...stderr.mock.calls].map((c) => String(c[0])).join('');
  afterEach(() => {
    stdout.mockClear();
    stderr.mockClear();
  });

  it('prints its version and exits 0', async () => {
    expect(await createCli().run(['--version'])).toBe(0);
    expect(printed()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('prints help listing start and serve and exits 0', async () => {
    expect(await createCli().run(['--help'])).toBe(0);
    expect(printed()).toContain('start');
    expect(printed()).toContain('serve');
  });

  it('rejects an unknown command with exit code 2', async () => {
    expect(await createCli().run(['launch'])).toBe(2);
    expect(printed()).toContain("unknown command 'launch'");
  });

  it('rejects an unknown flag with exit code 2', async () => {
    expect(await createCli().run(['start', '--turbo'])).toBe(2);
    expect(printed()).toContain("unknown option '--turbo'");
  });

  it('requires --services for serve', async () => {
    expect(await createCli().run(['serve'])).toBe(2);
    expect(printed()).toContain('--services');
  });

  it('names an unknown service and the available ones', async () => {
    expect(await createCli().run(['serve', '--services', 'platform,billing'])).toBe(2);
    expect(printed()).toContain(
      "unknown service 'billing' (available: platform, conversation, agent, workflow)",
    );
  });

  it('shows help and exits 2 when given nothing to do', async () => {
    expect(await createCli().run([])).toBe(2);
    expect(printed()).toContain('Usage: awp');
  });
});
