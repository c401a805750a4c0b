import { parseWorkflowText } from '../dsl/index.js';

/**
 * Run in a fresh process by the DSL benchmark: parses one hazardous input and prints the
 * process's peak RSS, so each figure is that input's cost alone. `idle` parses nothing.
 */
function input(kind: string): string {
  switch (kind) {
    case 'alias-bomb': {
      // Nine levels of nine aliases: 387 million strings if expanded.
      const levels = ['l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
      for (let i = 1; i < 9; i++)
        levels.push(
          `l${i}: &l${i} [${Array(9)
            .fill(`*l${i - 1}`)
            .join(',')}]`,
        );
      return levels.join('\n');
    }
    case 'one-mib': {
      // Just under the limit: 1 MiB of small tasks.
      const line = '  - t{n}: {set: {value: "${ .x + 1 }"}}\n';
      const head = 'document: {dsl: 1.0.0, namespace: ns, name: big, version: 1.0.0}\ndo:\n';
      let text = head;
      for (let n = 0; text.length + line.length + 8 < 1_048_576; n++)
        text += line.replace('{n}', String(n));
      return text;
    }
    case 'over-limit':
      return `a: "${'x'.repeat(50 * 1_048_576)}"`;
    case 'deep-nesting':
      return '['.repeat(1_000_000);
    default:
      return '';
  }
}

const kind = process.argv[2] ?? 'idle';
const text = input(kind);
let outcome = 'nothing parsed';
if (kind !== 'idle') {
  const result = parseWorkflowText(text);
  outcome = result.ok ? 'parsed' : `refused: ${result.problems[0]?.code}`;
}
console.log(JSON.stringify({ peakRssMiB: process.resourceUsage().maxRSS / 1024, outcome }));
