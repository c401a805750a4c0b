import type { JqEngine } from './jqEngine.js';
import {
  batchProgram,
  bracketsBalance,
  describeFailure,
  jqErrorsOf,
  standaloneProgram,
} from './jqProgram.js';
import type { ExpressionToCompile } from './jqProgram.js';
import { LruCache } from './lruCache.js';

export type CompileVerdict =
  | { ok: true }
  /** `unchecked`: jq broke on it, so nothing is known about the expression itself. */
  | { ok: false; message: string; unchecked: boolean };

export interface ExpressionCompiler {
  /** A verdict per item, in order. */
  compile(items: readonly ExpressionToCompile[]): Promise<CompileVerdict[]>;
}

export interface ExpressionCompilerOptions {
  engine: JqEngine;
  /** Verdicts remembered across calls, by expression and variables. Default 10,000. */
  cacheSize?: number;
  /**
   * Most expressions per jq call. Default 250. Each call builds jq's builtins (3–10 ms), so
   * fewer calls are faster, up to a point: jq's compile time grows faster than the program past a
   * few hundred expressions, a failing batch echoes every error (the engine keeps the first 64 KiB
   * of them), and one jq function holds at most 64 KiB of bytecode.
   */
  batchSize?: number;
  /** Most characters of expressions per jq call. Default 32,000. */
  batchCharacters?: number;
}

const ok: CompileVerdict = { ok: true };

const keyOf = ({ expression, variables }: ExpressionToCompile) =>
  `${variables.join(' ')}\n${expression}`;

/**
 * Compiles runtime expressions with jq, as few jq calls as it can: jq builds its builtins on
 * every call (3–10 ms), so expressions are compiled together and only a failing batch is taken
 * apart, by the lines jq blames or else by halves, down to the expressions that fail alone.
 */
export function createExpressionCompiler(options: ExpressionCompilerOptions): ExpressionCompiler {
  const { engine } = options;
  const cache = new LruCache<string, CompileVerdict>(options.cacheSize ?? 10_000);
  const batchSize = options.batchSize ?? 250;
  const batchCharacters = options.batchCharacters ?? 32_000;

  return {
    async compile(items) {
      // This call's own verdicts: a large document must not lose them to cache eviction.
      const verdicts = new Map<string, CompileVerdict>();
      const settle = (item: ExpressionToCompile, verdict: CompileVerdict) => {
        verdicts.set(keyOf(item), verdict);
        if (verdict.ok || !verdict.unchecked) cache.set(keyOf(item), verdict);
      };

      const alone = async (item: ExpressionToCompile): Promise<CompileVerdict> => {
        const outcome = await engine.compile(standaloneProgram(item));
        const verdict: CompileVerdict =
          outcome.status === 'compiled'
            ? ok
            : outcome.status === 'rejected'
              ? { ok: false, message: describeFailure(outcome.stderr, item), unchecked: false }
              : {
                  ok: false,
                  message: `jq broke while compiling it (${outcome.reason})`,
                  unchecked: true,
                };
        settle(item, verdict);
        return verdict;
      };

      const resolve = async (group: ExpressionToCompile[]): Promise<void> => {
        if (group.length === 0) return;
        if (group.length === 1) {
          await alone(group[0] as ExpressionToCompile);
          return;
        }
        const program = batchProgram(group);
        const outcome = await engine.compile(program.text);
        if (outcome.status === 'compiled') {
          for (const item of group) settle(item, ok);
          return;
        }
        const blamed = new Set<ExpressionToCompile>();
        if (outcome.status === 'rejected') {
          for (const { line } of jqErrorsOf(outcome.stderr)) {
            if (line === undefined) continue;
            const at = program.ranges.findIndex((r) => line >= r.first && line <= r.last);
            if (at >= 0) blamed.add(group[at] as ExpressionToCompile);
          }
        }
        let confirmed = false;
        for (const item of blamed) confirmed = !(await alone(item)).ok || confirmed;
        const rest = group.filter((item) => !blamed.has(item));
        if (confirmed) {
          await resolve(rest);
        } else {
          // jq blamed nothing that fails alone: halve until the culprits stand alone.
          const middle = Math.ceil(rest.length / 2);
          await resolve(rest.slice(0, middle));
          await resolve(rest.slice(middle));
        }
      };

      const pending = new Map<string, ExpressionToCompile>();
      for (const item of items) {
        const key = keyOf(item);
        const known = cache.get(key);
        if (known !== undefined) verdicts.set(key, known);
        else pending.set(key, item);
      }
      let batch: ExpressionToCompile[] = [];
      let characters = 0;
      for (const item of pending.values()) {
        if (!bracketsBalance(item.expression)) {
          await alone(item);
          continue;
        }
        if (batch.length >= batchSize || characters + item.expression.length > batchCharacters) {
          await resolve(batch);
          batch = [];
          characters = 0;
        }
        batch.push(item);
        characters += item.expression.length;
      }
      await resolve(batch);
      return items.map((item) => verdicts.get(keyOf(item)) ?? ok);
    },
  };
}
